package aggregate

import (
	"cmp"
	"slices"

	"github.com/evalpanel/evalpanel/rubrics"
)

// Input is a whole campaign to aggregate: its settings, the technical
// rubric pinned for each project class, the finance rubric, and its
// projects with their submitted sheets.
type Input struct {
	Settings  Settings
	Technical map[string]*rubrics.Rubric // by project class
	Finance   *rubrics.Rubric
	Projects  []Project
}

// Report is a campaign's results: the official result of every project,
// and beside them the advisory figures, which never replace them.
type Report struct {
	Results  []Result `json:"results"` // in the order of Input.Projects
	Advisory Advisory `json:"advisory"`
}

// Advisory holds the figures beyond the practice (参考指标): estimates, in
// floating point, shown beside the official results and labelled as such.
type Advisory struct {
	// Leniency is the fit over all technical sheets of the campaign, every
	// class together (all technical rubrics total 100).
	Leniency Fit `json:"leniency"`
	// Projects is each project's advisory figures, in the order of Results.
	Projects []ProjectAdvice `json:"projects"`
	// Reliability is the ICC of each class, by class.
	Reliability []ClassReliability `json:"reliability"`
}

// ProjectAdvice is a project's advisory figures.
type ProjectAdvice struct {
	Project int64 `json:"project"`
	// Calibrated is the project's fitted quality, rounded (nil without a
	// technical sheet).
	Calibrated *Score `json:"calibrated"`
	// Percentile is the project's place within its class by official score
	// (nil without a score).
	Percentile *float64 `json:"percentile"`
}

// ClassReliability is the ICC of one class's technical totals.
type ClassReliability struct {
	Class string `json:"class"`
	ICC
}

// Campaign aggregates a campaign: Official for every project (its class's
// technical rubric), then the advisory figures: Leniency over every
// technical sheet, Reliability per class, and Percentiles per class over
// the projects that have a score.
func Campaign(in *Input) (*Report, error) {
	rep := &Report{Results: make([]Result, len(in.Projects))}
	ids := make([]int64, 0, len(in.Projects))
	nObs := 0
	for i := range in.Projects {
		p := &in.Projects[i]
		tech := in.Technical[p.Class]
		if tech == nil {
			return nil, invalid("project %d: no technical rubric for class %q", p.ID, p.Class)
		}
		res, err := Official(p, Rubrics{Technical: tech, Finance: in.Finance}, in.Settings)
		if err != nil {
			return nil, err
		}
		rep.Results[i] = res
		ids = append(ids, p.ID)
		nObs += len(p.Technical)
	}
	slices.Sort(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			return nil, invalid("project %d listed twice", ids[i])
		}
	}

	obs := make([]Observation, 0, nObs)
	byClass := map[string][]Observation{}
	for i := range rep.Results {
		res := &rep.Results[i]
		for _, st := range res.Technical.Totals {
			o := Observation{Project: res.Project, Expert: st.Expert, Total: st.Total}
			obs = append(obs, o)
			byClass[res.Class] = append(byClass[res.Class], o)
		}
	}
	fit, err := Leniency(obs)
	if err != nil {
		return nil, err
	}
	adv := Advisory{Leniency: fit, Projects: make([]ProjectAdvice, len(rep.Results)), Reliability: []ClassReliability{}}
	for i := range rep.Results {
		res := &rep.Results[i]
		pa := ProjectAdvice{Project: res.Project}
		if j, ok := slices.BinarySearchFunc(fit.Projects, res.Project, func(e ProjectEffect, id int64) int {
			return cmp.Compare(e.Project, id)
		}); ok {
			pa.Calibrated = new(fit.Projects[j].Calibrated)
		}
		adv.Projects[i] = pa
	}

	classes := make([]string, 0, len(byClass))
	for class := range byClass {
		classes = append(classes, class)
	}
	slices.Sort(classes)
	for _, class := range classes {
		adv.Reliability = append(adv.Reliability, ClassReliability{Class: class, ICC: Reliability(byClass[class])})
	}

	// Percentiles within each class, over the projects with a score.
	scored := map[string][]int{}
	for i := range rep.Results {
		if rep.Results[i].Technical.Score != nil {
			scored[rep.Results[i].Class] = append(scored[rep.Results[i].Class], i)
		}
	}
	for _, idx := range scored {
		scores := make([]Score, len(idx))
		for k, i := range idx {
			scores[k] = *rep.Results[i].Technical.Score
		}
		for k, p := range Percentiles(scores) {
			adv.Projects[idx[k]].Percentile = new(p)
		}
	}
	rep.Advisory = adv
	return rep, nil
}
