package sqlstore

import (
	"fmt"
	"path/filepath"
	"strings"
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
	db := migratedDB(t)
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
	err := db.InTx(ctx, func(tx evaluation.Tx) error {
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

// Migration 9 stores the names the conflict rules compare in NFC (experts,
// their declared conflicts and collaborations, projects with their
// people), leaving the characters a reader sees as they were, and keys the
// institution aliases by today's normalisation, one alias per key; run
// again it changes nothing.
func TestComposeNames(t *testing.T) {
	ctx := t.Context()
	db := migratedDB(t)
	now := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	const (
		nfd    = "Anna Mu\u0308ller"
		nfc    = "Anna M\u00FCller"
		wide   = "立信会计师事务所（特殊普通合伙）"
		kangxi = "复旦\u2F24学"
	)
	x := &evaluation.Expert{Name: nfd, Type: evaluation.DomainExpert, Institution: wide, TitleLevel: evaluation.TitleSenior,
		Region: evaluation.RegionLocal, CanBeDrawn: true, SubjectCodes: []string{"520.20"}, Keywords: []string{}, Languages: []string{},
		CreatedAt: now, UpdatedAt: now}
	p := &evaluation.Project{Code: "P-1", Title: "项目", Class: evaluation.BasicResearch, Lead: "Universita\u0308t Wien",
		Participants: []string{kangxi}, PI: evaluation.Member{Name: "Jo\u0308rg", Institution: "Universita\u0308t Wien"},
		Members: []evaluation.Member{{Name: nfd, Institution: wide}}, Avoid: []evaluation.Avoid{{Name: "Rene\u0301"}},
		SubjectCodes: []string{"520.20"}, Keywords: []string{"Mu\u0308nchen"}, Methods: []evaluation.Method{evaluation.PeerReview},
		CreatedAt: now, UpdatedAt: now}
	err := db.InTx(ctx, func(tx evaluation.Tx) error {
		a := &evaluation.Agency{Code: "SSTPC", NameZH: "中心", NameEN: "Center", CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateAgency(ctx, a); err != nil {
			return err
		}
		c := &evaluation.Campaign{AgencyID: a.ID, Name: "批次", Year: 2025, State: evaluation.CampaignDraft, Aggregation: evaluation.TrimmedMean,
			Settings: evaluation.DefaultCampaignSettings(), CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateCampaign(ctx, c); err != nil {
			return err
		}
		p.CampaignID, p.AgencyID = c.ID, a.ID
		if err := tx.CreateProject(ctx, p); err != nil {
			return err
		}
		if err := tx.CreateExpert(ctx, x); err != nil {
			return err
		}
		if err := tx.CreateExpertConflict(ctx, &evaluation.ExpertConflict{ExpertID: x.ID, Person: "Zoe\u0308", Institution: kangxi, Year: 2025, CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.CreateExpertCollaboration(ctx, &evaluation.ExpertCollaboration{ExpertID: x.ID, Kind: evaluation.JointPaper,
			Person: nfd, Year: 2025, CreatedAt: now}); err != nil {
			return err
		}
		for _, al := range []evaluation.InstitutionAlias{
			{Alias: "复旦学", Canonical: "复旦大学"},                           // the old rules dropped the radical: kept, its key is what they stored
			{Alias: "universita\u0308twien", Canonical: "uniwien"},      // stored decomposed: composed now
			{Alias: "universitätwien", Canonical: "universityofvienna"}, // the same key now: the smaller canonical wins
			{Alias: "tum", Canonical: "tum"},                            // an alias of itself: dropped
			{Alias: "上海交大", Canonical: "上海交通大学"},                        // unchanged
		} {
			al.CreatedAt = now
			if err := tx.CreateInstitutionAlias(ctx, &al); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	run := func() {
		t.Helper()
		tx, err := db.sqldb.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := composeNames(ctx, tx); err != nil {
			tx.Rollback()
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	run()
	gotX, err := db.Expert(ctx, x.ID)
	if err != nil || gotX.Name != nfc || gotX.Institution != wide {
		t.Errorf("expert %q at %q (%v), want %q at %q", gotX.Name, gotX.Institution, err, nfc, wide)
	}
	gotP, err := db.Project(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Universit\u00E4t Wien", kangxi, "J\u00F6rg", "Universit\u00E4t Wien", nfc, wide, "Ren\u00E9", "M\u00FCnchen"},
		[]string{gotP.Lead, gotP.Participants[0], gotP.PI.Name, gotP.PI.Institution, gotP.Members[0].Name, gotP.Members[0].Institution,
			gotP.Avoid[0].Name, gotP.Keywords[0]}); diff != "" {
		t.Errorf("project names (-want +got):\n%s", diff)
	}
	conflicts, err := db.ExpertConflicts(ctx, x.ID)
	if err != nil || len(conflicts) != 1 || conflicts[0].Person != "Zo\u00EB" || conflicts[0].Institution != kangxi {
		t.Errorf("declared conflicts %+v, %v", conflicts, err)
	}
	collabs, err := db.ExpertCollaborations(ctx, x.ID)
	if err != nil || len(collabs) != 1 || collabs[0].Person != nfc {
		t.Errorf("collaborations %+v, %v", collabs, err)
	}
	aliases, err := db.Aliases(ctx)
	want := map[string]string{"复旦学": "复旦大学", "universitätwien": "universityofvienna", "上海交大": "上海交通大学"}
	if diff := cmp.Diff(want, aliases); err != nil || diff != "" {
		t.Errorf("aliases (-want +got):\n%s%v", diff, err)
	}
	before := dumpTables(t, db)
	run()
	if after := dumpTables(t, db); after != before {
		t.Errorf("a second run changed the names")
	}
}

// migratedDB opens a database in a temporary folder, migrated to the
// latest version; a Go migration's test runs the migration's function
// again on the rows it writes.
func migratedDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "evalpanel.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dumpTables prints the tables migration 9 rewrites.
func dumpTables(t *testing.T, db *DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{`SELECT id, name || '|' || institution FROM experts`, `SELECT id, person || '|' || institution FROM expert_conflicts`,
		`SELECT id, person || '|' || institution FROM expert_collaborations`, `SELECT id, lead_institution || '|' || details FROM projects`,
		`SELECT rowid, alias || '|' || canonical FROM institution_aliases`} {
		rows, err := db.sqldb.QueryContext(t.Context(), q+` ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			var s string
			if err := rows.Scan(&id, &s); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%d %s\n", id, s)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}
