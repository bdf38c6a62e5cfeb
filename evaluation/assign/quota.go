package assign

// Quota asks that at least Min of a project's technical seats go to experts
// whose Type is one of Types (evaluation/README.md §2.5.1: "at least 3
// domain experts or strategic scientists"). A hard quota that cannot be met
// makes a panel infeasible; a soft one (Soft) is met whenever possible and
// its shortfall is reported, not hidden ("≥1 international peer when an
// eligible one exists"). Finance seats never count towards a quota.
type Quota struct {
	Name  string   `json:"name"`
	Types []string `json:"types"`
	Min   int      `json:"min"`
	Soft  bool     `json:"soft,omitempty"`
}
