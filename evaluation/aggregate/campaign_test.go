package aggregate

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/evalpanel/evalpanel/rubrics"
)

func TestCampaign(t *testing.T) {
	tech, fin := defaultRubrics(t)
	rs, err := rubrics.Defaults()
	if err != nil {
		t.Fatal(err)
	}
	basic := rs[0]
	fs := []FinanceSheet{finSheet(t, 90, 76, true)}
	in := &Input{
		Technical: map[string]*rubrics.Rubric{"applied_technology": tech, "basic_research": basic},
		Finance:   fin,
		Projects: []Project{
			{ID: 10, Class: "applied_technology", Technical: spreadAll(tech, 70, 70, 70, 70, 70), Finance: fs},
			{ID: 11, Class: "applied_technology", Technical: spreadAll(tech, 80, 82, 84, 86, 88), Finance: fs},
			{ID: 12, Class: "applied_technology", Technical: spreadAll(tech, 84, 84, 84, 84, 84), Finance: fs},
			{ID: 13, Class: "applied_technology", Technical: spreadAll(tech, 80, 85), Finance: fs}, // no score
			{ID: 20, Class: "basic_research", Technical: spreadAll(basic, 90, 91, 92, 93, 94), Finance: fs},
			{ID: 21, Class: "basic_research", Technical: spreadAll(basic, 60, 62, 64, 66, 68)},
		},
	}
	rep, err := Campaign(in)
	if err != nil {
		t.Fatal(err)
	}
	var proposals []Conclusion
	for _, r := range rep.Results {
		proposals = append(proposals, r.Proposal)
	}
	if diff := cmp.Diff([]Conclusion{Pass, Pass, Pass, None, Pass, None}, proposals); diff != "" {
		t.Errorf("proposals (-want +got):\n%s", diff)
	}
	// Percentiles within class over the projects with a score: applied
	// 70, 84, 84 → ranks 1, 2.5, 2.5 of 3 → 16.67, 66.67, 66.67; basic
	// 92, 64 → 75, 25.
	wantPct := map[int64]float64{10: 100 * 0.5 / 3, 11: 100 * 2 / 3.0, 12: 100 * 2 / 3.0, 20: 75, 21: 25}
	for _, pa := range rep.Advisory.Projects {
		want, ok := wantPct[pa.Project]
		switch {
		case !ok && pa.Percentile != nil:
			t.Errorf("project %d: percentile %v, want none", pa.Project, *pa.Percentile)
		case ok && (pa.Percentile == nil || *pa.Percentile-want > 1e-9 || want-*pa.Percentile > 1e-9):
			t.Errorf("project %d: percentile %v, want %v", pa.Project, pa.Percentile, want)
		}
		if pa.Calibrated == nil {
			t.Errorf("project %d: no calibrated score", pa.Project)
		}
	}
	// Experts 1–5 are on every panel (spreadAll numbers them from 1): one
	// component, 6 projects, 5 experts.
	if f := rep.Advisory.Leniency; f.Components != 1 || len(f.Projects) != 6 || len(f.Experts) != 5 {
		t.Errorf("fit: %d components, %d projects, %d experts; want 1, 6, 5", f.Components, len(f.Projects), len(f.Experts))
	}
	var classes []string
	for _, cr := range rep.Advisory.Reliability {
		classes = append(classes, cr.Class)
		if !cr.Defined {
			t.Errorf("class %s: ICC undefined", cr.Class)
		}
	}
	if diff := cmp.Diff([]string{"applied_technology", "basic_research"}, classes); diff != "" {
		t.Errorf("reliability classes (-want +got):\n%s", diff)
	}

	in.Projects = append(in.Projects, Project{ID: 10, Class: "applied_technology"})
	if _, err := Campaign(in); !errors.Is(err, ErrInvalid) {
		t.Errorf("duplicate project: err = %v, want ErrInvalid", err)
	}
	in.Projects[len(in.Projects)-1] = Project{ID: 30, Class: "other"}
	if _, err := Campaign(in); !errors.Is(err, ErrInvalid) {
		t.Errorf("class without rubric: err = %v, want ErrInvalid", err)
	}
}

// benchCampaign builds a campaign of nP applied-technology projects with
// perPanel technical sheets (5 indicators each) and one finance sheet,
// experts drawn from a pool of nP·perPanel/7 so that each has about 7
// sheets.
func benchCampaign(b testing.TB, nP, perPanel int) *Input {
	tech, fin := defaultRubrics(b)
	rng := rand.New(rand.NewPCG(42, 42))
	nE := nP * perPanel / 7
	biases := make([]float64, nE)
	for i := range biases {
		biases[i] = 4 * rng.NormFloat64()
	}
	in := &Input{Technical: map[string]*rubrics.Rubric{"applied_technology": tech}, Finance: fin, Projects: make([]Project, nP)}
	seen := make([]int, nE)
	for j := range in.Projects {
		q := 50 + 45*rng.Float64()
		p := Project{ID: int64(j + 1), Class: "applied_technology", Technical: make([]Sheet, 0, perPanel)}
		for len(p.Technical) < perPanel {
			e := rng.IntN(nE)
			if seen[e] == j+1 {
				continue
			}
			seen[e] = j + 1
			v := q + biases[e] + 3*rng.NormFloat64()
			v = max(0, min(100, float64(int(2*v))/2))
			p.Technical = append(p.Technical, spread(tech, int64(e+1), v))
		}
		total := float64(int(2*(55+40*rng.Float64()))) / 2
		p.Finance = []FinanceSheet{{Sheet: spread(fin, int64(nE+j+1), total), Pass: rng.IntN(10) > 0}}
		in.Projects[j] = p
	}
	return in
}

// BenchmarkCampaign aggregates 5,000 projects × 7 technical sheets × 5
// indicators (and a finance sheet each), in memory: the official results,
// the leniency fit, the calibrated scores, the ICC and the percentiles.
func BenchmarkCampaign(b *testing.B) {
	in := benchCampaign(b, 5000, 7)
	b.ReportAllocs()
	var rep *Report
	for b.Loop() {
		var err error
		if rep, err = Campaign(in); err != nil {
			b.Fatal(err)
		}
	}
	fit := rep.Advisory.Leniency
	if !fit.Converged {
		b.Fatalf("fit of %d experts converged %v after %d iterations", len(fit.Experts), fit.Converged, fit.Iterations)
	}
	b.ReportMetric(float64(fit.Iterations), "cg-iterations")
}

// BenchmarkOfficial is the official part alone, per project.
func BenchmarkOfficial(b *testing.B) {
	in := benchCampaign(b, 5000, 7)
	r := Rubrics{Technical: in.Technical["applied_technology"], Finance: in.Finance}
	b.ReportAllocs()
	for b.Loop() {
		for i := range in.Projects {
			if _, err := Official(&in.Projects[i], r, in.Settings); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLeniency is the fit alone over the 35,000 totals.
func BenchmarkLeniency(b *testing.B) {
	in := benchCampaign(b, 5000, 7)
	var obs []Observation
	for _, p := range in.Projects {
		for _, sh := range p.Technical {
			var tot rubrics.Points
			for _, s := range sh.Scores {
				tot += s
			}
			obs = append(obs, Observation{Project: p.ID, Expert: sh.Expert, Total: tot})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Leniency(obs); err != nil {
			b.Fatal(err)
		}
	}
}
