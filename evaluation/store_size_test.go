package evaluation

import (
	"reflect"
	"testing"
)

// maxAreaStore bounds what one area may do with the store: a service that
// needs more is doing another area's work, which belongs in that area's
// service (or a new one), not in a wider interface.
const maxAreaStore = 30

// Each area's store interfaces stay small; the union that the store
// implements grows with the areas, but no service sees it.
func TestAreaStoresStaySmall(t *testing.T) {
	for _, tt := range []struct {
		area  string
		store reflect.Type
		tx    reflect.Type
	}{
		{"accounts", reflect.TypeFor[accountStore](), reflect.TypeFor[accountTx]()},
		{"rubrics", reflect.TypeFor[rubricStore](), reflect.TypeFor[rubricTx]()},
		{"pool", reflect.TypeFor[poolStore](), reflect.TypeFor[poolTx]()},
		{"campaigns", reflect.TypeFor[campaignStore](), reflect.TypeFor[campaignTx]()},
		{"panels", reflect.TypeFor[panelStore](), reflect.TypeFor[panelTx]()},
		{"materials", reflect.TypeFor[materialStore](), reflect.TypeFor[materialTx]()},
		{"sheets", reflect.TypeFor[sheetStore](), reflect.TypeFor[sheetTx]()},
		{"declarations", reflect.TypeFor[sheetStore](), reflect.TypeFor[declarationTx]()},
		{"results", reflect.TypeFor[resultStore](), reflect.TypeFor[resultTx]()},
		{"revisions", reflect.TypeFor[sheetStore](), reflect.TypeFor[revisionTx]()},
		{"vetoes", reflect.TypeFor[vetoReader](), reflect.TypeFor[vetoTx]()},
	} {
		t.Logf("%-12s store %2d methods, tx %2d", tt.area, tt.store.NumMethod(), tt.tx.NumMethod())
		if n := tt.tx.NumMethod(); n > maxAreaStore {
			t.Errorf("the %s service's transaction has %d methods, more than %d", tt.area, n, maxAreaStore)
		}
		if !tt.tx.Implements(tt.store) {
			t.Errorf("the %s service's transaction cannot do what its store reads", tt.area)
		}
	}
	t.Logf("the union: Reader %d, Tx %d", reflect.TypeFor[Reader]().NumMethod(), reflect.TypeFor[Tx]().NumMethod())
}
