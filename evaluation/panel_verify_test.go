package evaluation_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
)

// verifyScene is a campaign whose panels were formed and changed every way
// the services change them, with what its tampering tests need.
type verifyScene struct {
	e        *env
	campaign int64
	// drawn was drawn and invited; declined declined it and an
	// alternate was called up; its chair accepted.
	drawn    *evaluation.Panel
	declined *evaluation.PanelMember
	// changed was drawn, its chair moved by hand, then the new chair
	// replaced by hand (the newcomer takes the chair).
	changed     *evaluation.Panel
	changedDraw int64
	// matched was formed by the campaign's match, invited and confirmed.
	matched   *evaluation.Panel
	matchDraw int64
	// conflicted is in conflict with every project of the campaign.
	conflicted *evaluation.Expert
}

func newVerifyScene(t *testing.T) *verifyScene {
	t.Helper()
	e := newEnv(t)
	e.withRubrics(t)
	pool := e.pool(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	ctx := t.Context()
	c, ps := e.campaignWith(t, staff, sampleProject("P-1"), sampleProject("P-2"), sampleProject("P-3"))
	sc := &verifyScene{e: e, campaign: c.ID, conflicted: pool["上理工专家"]}
	reload := func(p *evaluation.Panel) *evaluation.Panel {
		t.Helper()
		p, err := e.svc.Panels.Panel(ctx, staff, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	// A draw, invited; a member declines and the first alternate is
	// called up; the chair accepts.
	sc.drawn = e.drawnPanel(t, staff, c, ps[0], true)
	for _, m := range sc.drawn.Seated(evaluation.SeatTechnical) {
		if m.Expert.Type == evaluation.DomainExpert && !m.Chair {
			sc.declined = m
		}
	}
	ans, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, sc.declined.Expert), sc.declined.ID, false, "出国访问")
	if err != nil || ans.Alternate == 0 {
		t.Fatalf("decline: %+v, %v; want an alternate called up", ans, err)
	}
	chair := sc.drawn.Seated(evaluation.SeatTechnical)[0]
	if _, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, chair.Expert), chair.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	sc.drawn = reload(sc.drawn)

	// A second draw: the chair moved to another member, who is then
	// replaced by hand.
	sc.changed, err = e.svc.Panels.DrawPanel(ctx, staff, c.ID, []int64{ps[1].ID}, strings.Repeat("5a", 32))
	if err != nil {
		t.Fatal(err)
	}
	next := sc.changed.Seated(evaluation.SeatTechnical)[1]
	if err := e.svc.Panels.SetChair(ctx, staff, sc.changed.ID, next.ID); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, ex := range pool {
		ids = append(ids, ex.ID)
	}
	checks, err := e.svc.Panels.CheckCandidates(ctx, staff, sc.changed.ID, evaluation.SeatTarget{MemberID: next.ID}, ids)
	if err != nil {
		t.Fatal(err)
	}
	replaced := false
	for _, ch := range checks {
		if ch.Allowed {
			if _, err := e.svc.Panels.ReplaceMember(ctx, staff, sc.changed.ID, next.ID, ch.ExpertID, "学科相近"); err != nil {
				t.Fatal(err)
			}
			replaced = true
			break
		}
	}
	if !replaced {
		t.Fatal("nobody may replace the new chair")
	}
	sc.changed = reload(sc.changed)
	if sc.changed.Seated(evaluation.SeatTechnical)[0].Source != "manual" {
		t.Fatalf("the newcomer did not take the chair: %+v", sc.changed.Seated(evaluation.SeatTechnical)[0])
	}

	// The match forms the third panel, which everyone accepts.
	matched, err := e.svc.Panels.MatchCampaign(ctx, staff, c.ID, testSeed)
	if err != nil || len(matched) != 1 {
		t.Fatalf("match: %d panels, %v", len(matched), err)
	}
	if err := e.svc.Panels.InvitePanel(ctx, staff, matched[0].ID); err != nil {
		t.Fatal(err)
	}
	for _, m := range reload(matched[0]).Members {
		if m.Status == evaluation.MemberInvited {
			if _, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, m.Expert), m.ID, true, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	if sc.matched = reload(matched[0]); sc.matched.State != evaluation.PanelConfirmed {
		t.Fatalf("matched panel %s, want confirmed", sc.matched.State)
	}
	records, err := e.db.DrawRecords(ctx, c.ID)
	if err != nil || len(records) != 3 {
		t.Fatalf("draw records: %d, %v", len(records), err)
	}
	sc.changedDraw, sc.matchDraw = records[1].ID, records[2].ID
	return sc
}

// copy opens a copy of the scene's database, for tampering with.
func (sc *verifyScene) copy(t *testing.T) *sqlstore.DB {
	t.Helper()
	if sc.e.db.Postgres() {
		t.Skip("copies the database file: SQLite only")
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if _, err := sc.e.db.ExecContext(t.Context(), `VACUUM INTO ?`, path); err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestVerifyPanels: the panels of a campaign formed by draws and a match
// and changed by a decline with its alternate, a chair change, a manual
// replacement and answers are what their records and the audit log say;
// each edit of the tables behind the services' back is found and named.
func TestVerifyPanels(t *testing.T) {
	sc := newVerifyScene(t)
	ctx := t.Context()
	n, problems, err := evaluation.VerifyPanels(ctx, sc.e.db, sc.campaign)
	if err != nil || n != 3 || len(problems) != 0 {
		t.Fatalf("VerifyPanels = %d, %v, %v; want 3 panels, no problem", n, problems, err)
	}
	if n, problems, err := evaluation.VerifyDraws(ctx, sc.e.db, sc.campaign); err != nil || n != 3 || len(problems) != 0 {
		t.Fatalf("VerifyDraws = %d, %v, %v; want 3 records, no problem", n, problems, err)
	}

	t.Run("a draw record cannot be deleted", func(t *testing.T) {
		db := sc.copy(t)
		_, err := db.ExecContext(ctx, `DELETE FROM draws WHERE id = ?`, sc.changedDraw)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("DELETE of a draw record: %v, want the trigger's refusal", err)
		}
	})
	chair := func(p *evaluation.Panel) *evaluation.PanelMember { return p.Seated(evaluation.SeatTechnical)[0] }
	accepted := func(p *evaluation.Panel) *evaluation.PanelMember {
		for _, m := range p.Seated(evaluation.SeatTechnical) {
			if m.Status == evaluation.MemberAccepted {
				return m
			}
		}
		t.Fatalf("panel %d: nobody accepted", p.ID)
		return nil
	}
	notChair := sc.changed.Seated(evaluation.SeatTechnical)[1]
	for _, tc := range []struct {
		name string
		sql  string
		want []string
	}{
		{"the draw record of a panel deleted, the trigger dropped",
			fmt.Sprintf(`DROP TRIGGER draws_no_delete; DELETE FROM draws WHERE id = %d`, sc.changedDraw),
			[]string{fmt.Sprintf("draw record %d: missing: audit entry", sc.changedDraw),
				fmt.Sprintf("panel %d: no draw or match record formed it", sc.changed.ID)}},
		{"the match record deleted, the trigger dropped",
			fmt.Sprintf(`DROP TRIGGER draws_no_delete; DELETE FROM draws WHERE id = %d`, sc.matchDraw),
			[]string{fmt.Sprintf("draw record %d: missing", sc.matchDraw),
				fmt.Sprintf("panel %d: no draw or match record formed it", sc.matched.ID)}},
		{"a conflicted expert seated in a member's row",
			fmt.Sprintf(`UPDATE panel_members SET expert_id = %d WHERE panel_id = %d AND expert_id = %d`,
				sc.conflicted.ID, sc.drawn.ID, accepted(sc.drawn).ExpertID),
			[]string{fmt.Sprintf("panel %d: expert %d: the records say technical accepted chair (draw), the table holds expert %d in their place, technical accepted chair (draw)",
				sc.drawn.ID, accepted(sc.drawn).ExpertID, sc.conflicted.ID)}},
		{"a conflicted expert added to a confirmed panel",
			fmt.Sprintf(`INSERT INTO panel_members (panel_id, expert_id, seat, status, source, created_at)
				VALUES (%d, %d, 'technical', 'accepted', 'match', '2025-03-14T09:00:00.000000000Z')`, sc.matched.ID, sc.conflicted.ID),
			[]string{fmt.Sprintf("panel %d: expert %d: the records never put them on the panel, the table holds technical accepted (match)",
				sc.matched.ID, sc.conflicted.ID)}},
		{"a declined member revived",
			fmt.Sprintf(`UPDATE panel_members SET status = 'accepted', decline_reason = '' WHERE panel_id = %d AND expert_id = %d`,
				sc.drawn.ID, sc.declined.ExpertID),
			[]string{fmt.Sprintf("panel %d: expert %d: the records say technical declined (draw), the table holds technical accepted (draw)",
				sc.drawn.ID, sc.declined.ExpertID)}},
		{"the chair moved",
			fmt.Sprintf(`UPDATE panel_members SET chair = 0 WHERE panel_id = %[1]d; UPDATE panel_members SET chair = 1 WHERE id = %[2]d`,
				sc.changed.ID, notChair.ID),
			// The first difference in the order members joined: the
			// member made chair, drawn before the newcomer who holds it.
			[]string{fmt.Sprintf("panel %d: expert %d: the records say technical proposed (draw), the table holds technical proposed chair (draw)",
				sc.changed.ID, notChair.ExpertID)}},
		{"the chair cleared",
			fmt.Sprintf(`UPDATE panel_members SET chair = 0 WHERE panel_id = %d`, sc.changed.ID),
			[]string{fmt.Sprintf("panel %d: expert %d: the records say technical proposed chair (manual), the table holds technical proposed (manual)",
				sc.changed.ID, chair(sc.changed).ExpertID)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := sc.copy(t)
			if _, err := db.ExecContext(ctx, tc.sql); err != nil {
				t.Fatal(err)
			}
			_, problems, err := evaluation.VerifyPanels(ctx, db, sc.campaign)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			for _, want := range tc.want {
				if !strings.Contains(strings.Join(got, "\n"), want) {
					t.Errorf("problems:\n%s\nwant one saying %q", strings.Join(got, "\n"), want)
				}
			}
		})
	}
}
