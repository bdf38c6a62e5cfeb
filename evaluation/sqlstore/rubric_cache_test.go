package sqlstore_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/google/go-cmp/cmp"
)

// TestRubricContentCache: reading a rubric version gives its stored
// content whatever was read before: a draft's every change, a frozen
// version's content with its current status, and never the content of a
// version from a transaction that was rolled back.
func TestRubricContentCache(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	defaults, err := rubrics.Defaults()
	if err != nil {
		t.Fatal(err)
	}
	content := func(name string) *rubrics.Rubric {
		c := defaults[0].Clone()
		c.Code, c.Version, c.Name.EN = "CACHE", 1, name
		return c
	}
	read := func(want *rubrics.Rubric, status evaluation.RubricStatus) *evaluation.Rubric {
		t.Helper()
		for _, q := range []struct {
			name string
			read func() (*evaluation.Rubric, error)
		}{
			{"pool", func() (*evaluation.Rubric, error) { return db.Rubric(ctx, "CACHE", 1) }},
			{"transaction", func() (r *evaluation.Rubric, err error) {
				err = db.InTx(ctx, func(tx evaluation.Tx) error { r, err = tx.Rubric(ctx, "CACHE", 1); return err })
				return r, err
			}},
		} {
			r, err := q.read()
			if err != nil {
				t.Fatalf("%s: %v", q.name, err)
			}
			if r.Status != status {
				t.Errorf("%s: status %s, want %s", q.name, r.Status, status)
			}
			if d := cmp.Diff(want, r.Content); d != "" {
				t.Errorf("%s: content (-want +got):\n%s", q.name, d)
			}
		}
		r, _ := db.Rubric(ctx, "CACHE", 1)
		return r
	}
	update := func(r *evaluation.Rubric) {
		t.Helper()
		r.Hash = r.Content.Hash()
		inTx(t, db, func(tx evaluation.Tx) error { return tx.UpdateRubric(ctx, r) })
	}

	// A version published in a transaction that is rolled back leaves
	// nothing behind, even when it was read.
	rolledBack := errors.New("roll back")
	err = db.InTx(ctx, func(tx evaluation.Tx) error {
		c := content("rolled back")
		r := &evaluation.Rubric{Code: "CACHE", Version: 1, Target: c.Target, Status: evaluation.RubricPublished, Hash: c.Hash(),
			Content: c, CreatedAt: t0, UpdatedAt: t0, PublishedAt: t0}
		if err := tx.CreateRubric(ctx, r); err != nil {
			return err
		}
		if _, err := tx.Rubric(ctx, "CACHE", 1); err != nil {
			return err
		}
		return rolledBack
	})
	if !errors.Is(err, rolledBack) {
		t.Fatalf("rolled back transaction: %v", err)
	}

	c := content("draft")
	r := &evaluation.Rubric{Code: "CACHE", Version: 1, Target: c.Target, Status: evaluation.RubricDraft, Hash: c.Hash(), Content: c,
		CreatedAt: t0, UpdatedAt: t0}
	inTx(t, db, func(tx evaluation.Tx) error { return tx.CreateRubric(ctx, r) })
	r = read(content("draft"), evaluation.RubricDraft)
	r.Content = content("draft, changed")
	update(r)
	r = read(content("draft, changed"), evaluation.RubricDraft)

	r.Status, r.PublishedAt = evaluation.RubricPublished, t0
	update(r)
	r = read(content("draft, changed"), evaluation.RubricPublished)
	r.Status = evaluation.RubricRetired
	update(r)
	read(content("draft, changed"), evaluation.RubricRetired)

	// Readers at once share the decoded content without a race.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := db.Rubric(ctx, "CACHE", 1)
			if err != nil || r.Content.Name.EN != "draft, changed" {
				t.Errorf("concurrent read: %v, %v", r, err)
			}
		}()
	}
	wg.Wait()
}
