package evaluation

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation/assign"
)

// The replay reads audit entries written before they carried the expert of
// an answer and the status of a newcomer: the member id resolves through
// the panel as stored, the newcomer's status follows the panel's state.
// Worked by hand from createPanel, RespondToInvitation and changeSeat.
func TestReplayOldEntries(t *testing.T) {
	types := map[int64]string{1: assign.Investor, 2: assign.DomainExpert, 3: assign.DomainExpert, 4: assign.DomainExpert,
		5: assign.Entrepreneur, 7: assign.DomainExpert, 8: assign.DomainExpert}
	rp := &replayedPanel{id: 1}
	rp.form("draw", types, []int64{1, 2, 3, 4, 5}, []int64{6}, []int64{7, 8}, []int64{9})
	stored := &Panel{ID: 1, Members: []*PanelMember{{ID: 101, ExpertID: 1}, {ID: 102, ExpertID: 2}}}
	entry := 0
	apply := func(action, details string) {
		t.Helper()
		entry++
		ev := &seatEvent{entry: &AuditEntry{ID: int64(entry)}, stored: stored}
		if err := json.Unmarshal([]byte(details), ev); err != nil {
			t.Fatal(err)
		}
		if why := rp.apply(action, ev); why != "" {
			t.Fatalf("%s %s: %s", action, details, why)
		}
	}
	apply("panel.invite", `{"experts":[1,2,3,4,5,6]}`)
	apply("invitation.accept", `{"member":101}`)
	apply("invitation.decline", `{"member":102,"reason":"出国","alternate":7}`)
	apply("panel.fill", `{"added":10,"seat":"finance","override":""}`)
	apply("panel.replace", `{"added":11,"removed":3,"seat":"technical"}`)
	var got []string
	for _, m := range rp.members {
		got = append(got, m.String())
	}
	want := []string{
		"technical accepted (draw)",         // 1, an investor, passed over for the chair
		"technical declined (draw)",         // 2, the chair, declined
		"technical removed (draw)",          // 3, replaced by 11
		"technical invited (draw)",          // 4
		"technical invited (draw)",          // 5
		"finance invited (draw)",            // 6
		"technical invited chair (draw)",    // 7, the alternate called up to the chair's seat
		"technical alternate rank 2 (draw)", // 8
		"finance alternate rank 1 (draw)",   // 9
		"finance invited (manual)",          // 10, invited: the panel was inviting
		"technical invited (manual)",        // 11
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("replayed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	ev := &seatEvent{entry: &AuditEntry{ID: 9}, Expert: 99}
	if why := rp.apply("panel.chair", ev); !strings.Contains(why, "audit entry 9 (panel.chair) names expert 99, whom the records never put on the panel") {
		t.Errorf("a chair given to an expert not on the panel: %q", why)
	}
}
