package sqlite

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/google/go-cmp/cmp"
)

// Migration 6 renames the default quotas of every campaign's stored panel
// rules, per class, leaving the rest of the settings as they were, and
// its down migration brings the old names back.
func TestRenameQuotas(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "evalpanel.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	legacy := evaluation.DefaultCampaignSettings()
	legacy.ScoringDue = "2025-06-30"
	old := map[evaluation.ProjectClass][]string{
		evaluation.BasicResearch:     {"domain", "international"},
		evaluation.AppliedTechnology: {"industry", "domain"},
	}
	for class, names := range old {
		for i, n := range names {
			legacy.Panels[class].Quotas[i].Name = n
		}
	}
	c := &evaluation.Campaign{Name: "批次", Year: 2025, State: evaluation.CampaignDraft, Aggregation: evaluation.TrimmedMean,
		Settings: legacy, CreatedAt: now, UpdatedAt: now}
	err = db.InTx(ctx, func(tx evaluation.Tx) error {
		a := &evaluation.Agency{Code: "SSTPC", NameZH: "中心", NameEN: "Center", CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateAgency(ctx, a); err != nil {
			return err
		}
		c.AgencyID = a.ID
		return tx.CreateCampaign(ctx, c)
	})
	if err != nil {
		t.Fatal(err)
	}
	run := func(names map[string]map[string]string) *evaluation.Campaign {
		t.Helper()
		tx, err := db.sqldb.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := renameQuotas(names)(ctx, tx); err != nil {
			tx.Rollback()
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		got, err := db.Campaign(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	got := run(quotaNames)
	want := evaluation.DefaultCampaignSettings()
	want.ScoringDue = "2025-06-30"
	if diff := cmp.Diff(want, got.Settings); diff != "" {
		t.Errorf("settings after the rename (-want +got):\n%s", diff)
	}
	if got = run(invert(quotaNames)); !cmp.Equal(legacy, got.Settings) {
		t.Errorf("settings after the rename back (-want +got):\n%s", cmp.Diff(legacy, got.Settings))
	}
}
