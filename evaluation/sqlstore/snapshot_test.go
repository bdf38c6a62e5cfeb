package sqlstore_test

import (
	"testing"

	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
)

// A snapshot reads one state of the database: an agency added while it is
// open is not in it, and is there once it ends; the writer was not held up.
func TestReadSnapshot(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	addAgency(t, db, "A")
	var during, after int
	err := db.ReadSnapshot(ctx, func(s *sqlstore.Snapshot) error {
		before, err := s.Agencies(ctx)
		if err != nil {
			return err
		}
		addAgency(t, db, "B")
		list, err := s.Agencies(ctx)
		if len(before) != 1 {
			t.Errorf("agencies at the start of the snapshot: %d, want 1", len(before))
		}
		during = len(list)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	list, err := db.Agencies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	after = len(list)
	if during != 1 || after != 2 {
		t.Errorf("agencies in the snapshot after a write: %d, after it: %d; want 1 and 2", during, after)
	}
}
