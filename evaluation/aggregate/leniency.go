package aggregate

import (
	"math"
	"slices"

	"github.com/evalpanel/evalpanel/rubrics"
)

// Observation is one submitted technical sheet's total, for the advisory
// figures.
type Observation struct {
	Project int64          `json:"project"`
	Expert  int64          `json:"expert"`
	Total   rubrics.Points `json:"total"`
}

// Shrinkage is λ of the leniency fit: each expert's bias is estimated as if
// the expert had also scored λ more sheets exactly as the fitted project
// effects say (a ridge penalty λ·Σ b²). With λ = 1 an expert with one
// sheet gets half of that sheet's deviation, one with eight sheets 8/9 of
// the mean deviation.
const Shrinkage = 1.0

// Fit is the advisory leniency fit over a campaign's technical sheets
// (宽严度): t = q_project + b_expert, by penalised least squares.
type Fit struct {
	Shrinkage float64         `json:"shrinkage"`
	Experts   []ExpertBias    `json:"experts"`  // by expert id
	Projects  []ProjectEffect `json:"projects"` // by project id
	// Components counts the connected groups of experts and projects
	// (linked by sheets); biases and calibrated scores compare only within
	// one.
	Components int `json:"components"`
	// ResidualSD is the standard deviation of the totals around the fit
	// (the residual sum of squares over N − P − E + Components degrees of
	// freedom); 0 when the fit leaves none.
	ResidualSD float64 `json:"residual_sd"`
	// Iterations of the conjugate-gradient solver, and whether it reached
	// its tolerance (a relative residual of 1e-12).
	Iterations int  `json:"iterations"`
	Converged  bool `json:"converged"`
}

// ExpertBias is an expert's estimated bias: positive is lenient (宽松),
// negative strict (严格), in points.
type ExpertBias struct {
	Expert    int64   `json:"expert"`
	Sheets    int     `json:"sheets"`
	Component int     `json:"component"`
	Bias      float64 `json:"bias"`
	// Estimable is false when the bias rests on one sheet, or the expert
	// shares no project with another expert: the figure is then mostly
	// shrinkage and should be shown as "not estimable".
	Estimable bool `json:"estimable"`
	// SE is the bias's approximate standard error, ResidualSD/√(n + λ):
	// the project effects taken as known, so it is a little small for an
	// expert whose projects few others scored; 0 when ResidualSD is.
	SE float64 `json:"se"`
}

// ProjectEffect is a project's fitted quality and calibrated score.
type ProjectEffect struct {
	Project   int64 `json:"project"`
	Sheets    int   `json:"sheets"`
	Component int   `json:"component"`
	// Raw is the plain mean of the totals, exact; Effect the fitted quality
	// q, the mean of t − b over the project's sheets; Calibrated is Effect
	// rounded to hundredths (RoundFloat).
	Raw        Score   `json:"raw"`
	Effect     float64 `json:"effect"`
	Calibrated Score   `json:"calibrated"`
}

// Leniency fits t_ij = q_j + b_i to the totals, minimising
// Σ (t_ij − q_j − b_i)² + Shrinkage·Σ b_i². The project effects q are not
// penalised, so q_j = mean over j's sheets of (t_ij − b_i); putting that
// in leaves, for the biases, the system (L + λI) b = r with
//
//	L_ii  = n_i − Σ_{j∋i} 1/k_j,  L_ii' = −Σ_{j∋i,i'} 1/k_j,
//	r_i   = Σ_{j∋i} (t_ij − mean_j)
//
// (n_i sheets of expert i, k_j of project j), a graph Laplacian plus λI:
// symmetric positive definite with a condition number below
// (2·max n_i + λ) / λ, which conjugate gradients solve in a few dozen
// sparse passes however the experts are linked. Because shifting every
// bias of a component by c and its projects' effects by −c changes no
// residual, the penalty is least when the biases of each component sum to
// zero: the fit always meets that constraint. It refuses two sheets of one
// expert for one project.
func Leniency(obs []Observation) (Fit, error) {
	fit := Fit{Shrinkage: Shrinkage, Experts: []ExpertBias{}, Projects: []ProjectEffect{}}
	if len(obs) == 0 {
		fit.Converged = true
		return fit, nil
	}
	experts, eIdx := index(obs, func(o *Observation) int64 { return o.Expert })
	projects, pIdx := index(obs, func(o *Observation) int64 { return o.Project })
	E, P, N := len(experts), len(projects), len(obs)

	// Sheets grouped by project (a counting sort): start[j]…start[j+1].
	start := make([]int, P+1)
	for i := range obs {
		start[pIdx[i]+1]++
	}
	for j := range P {
		start[j+1] += start[j]
	}
	se := make([]int32, N)          // expert of each grouped sheet
	sp := make([]rubrics.Points, N) // its total
	st := make([]float64, N)        // the same in points, as a float
	next := slices.Clone(start[:P])
	for i := range obs {
		j := pIdx[i]
		se[next[j]], sp[next[j]], st[next[j]] = int32(eIdx[i]), obs[i].Total, obs[i].Total.Float()
		next[j]++
	}

	n := make([]int, E)
	stamp := make([]int, E) // last project (+1) seen per expert
	for j := range P {
		for s := start[j]; s < start[j+1]; s++ {
			e := se[s]
			if stamp[e] == j+1 {
				return Fit{}, invalid("two sheets of expert %d for project %d", experts[e], projects[j])
			}
			stamp[e] = j + 1
			n[e]++
		}
	}

	// Right-hand side and the Jacobi preconditioner.
	rhs := make([]float64, E)
	diag := make([]float64, E)
	shared := make([]bool, E)
	for i := range diag {
		diag[i] = Shrinkage + float64(n[i])
	}
	for j := range P {
		k := start[j+1] - start[j]
		var sum float64
		for s := start[j]; s < start[j+1]; s++ {
			sum += st[s]
		}
		mean := sum / float64(k)
		for s := start[j]; s < start[j+1]; s++ {
			rhs[se[s]] += st[s] - mean
			diag[se[s]] -= 1 / float64(k)
			if k > 1 {
				shared[se[s]] = true
			}
		}
	}

	pb := make([]float64, P) // per-project mean of b, scratch of apply
	apply := func(b, out []float64) {
		for j := range P {
			var s float64
			for x := start[j]; x < start[j+1]; x++ {
				s += b[se[x]]
			}
			pb[j] = s / float64(start[j+1]-start[j])
		}
		for i := range out {
			out[i] = (Shrinkage + float64(n[i])) * b[i]
		}
		for j := range P {
			for x := start[j]; x < start[j+1]; x++ {
				out[se[x]] -= pb[j]
			}
		}
	}
	b := make([]float64, E)
	fit.Iterations, fit.Converged = conjugateGradient(apply, rhs, diag, b)

	comp := components(E, P, start, se)
	for _, c := range comp {
		fit.Components = max(fit.Components, c+1)
	}
	// The residuals around the fit: t − q_j − b_i, q_j the project's mean
	// of t − b.
	var rss float64
	for j := range P {
		k := start[j+1] - start[j]
		var q float64
		for s := start[j]; s < start[j+1]; s++ {
			q += st[s] - b[se[s]]
		}
		q /= float64(k)
		for s := start[j]; s < start[j+1]; s++ {
			r := st[s] - q - b[se[s]]
			rss += r * r
		}
	}
	if df := N - P - E + fit.Components; df > 0 {
		fit.ResidualSD = math.Sqrt(rss / float64(df))
	}
	fit.Experts = make([]ExpertBias, E)
	for i, id := range experts {
		fit.Experts[i] = ExpertBias{Expert: id, Sheets: n[i], Component: comp[P+i], Bias: b[i], Estimable: n[i] >= 2 && shared[i],
			SE: fit.ResidualSD / math.Sqrt(float64(n[i])+Shrinkage)}
	}
	fit.Projects = make([]ProjectEffect, P)
	for j, id := range projects {
		k := start[j+1] - start[j]
		var raw rubrics.Points
		var q float64
		for s := start[j]; s < start[j+1]; s++ {
			raw += sp[s]
			q += st[s] - b[se[s]]
		}
		q /= float64(k)
		fit.Projects[j] = ProjectEffect{Project: id, Sheets: k, Component: comp[j], Raw: Average(raw, k), Effect: q, Calibrated: RoundFloat(q)}
	}
	return fit, nil
}

// index returns the distinct ids of the observations, sorted, and the
// position of each observation's id among them.
func index(obs []Observation, id func(*Observation) int64) ([]int64, []int) {
	ids := make([]int64, len(obs))
	for i := range obs {
		ids[i] = id(&obs[i])
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	pos := make([]int, len(obs))
	for i, v := range ids {
		pos[i], _ = slices.BinarySearch(sorted, v)
	}
	return sorted, pos
}

// components numbers the connected components of the graph of projects
// (nodes 0…P−1) and experts (P…P+E−1) linked by sheets, in the order of
// their lowest project.
func components(E, P int, start []int, se []int32) []int {
	parent := make([]int, P+E)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for j := range P {
		for s := start[j]; s < start[j+1]; s++ {
			a, b := find(j), find(P+int(se[s]))
			if a != b {
				parent[max(a, b)] = min(a, b) // the root is the lowest node, a project
			}
		}
	}
	comp := make([]int, P+E)
	label := make([]int, P+E)
	for i := range label {
		label[i] = -1
	}
	next := 0
	for x := range P + E {
		r := find(x)
		if label[r] < 0 {
			label[r] = next
			next++
		}
		comp[x] = label[r]
	}
	return comp
}

// conjugateGradient solves A x = b for a symmetric positive definite A
// given as apply, with the Jacobi preconditioner diag, starting from x (in
// place). It stops at a relative residual of 1e-12 or after 10·len(b)+100
// iterations, and returns the iterations and whether it converged.
func conjugateGradient(apply func(x, out []float64), b, diag, x []float64) (int, bool) {
	m := len(b)
	r := slices.Clone(b)
	tmp := make([]float64, m)
	apply(x, tmp)
	for i := range r {
		r[i] -= tmp[i]
	}
	norm := func(v []float64) float64 {
		var s float64
		for _, e := range v {
			s += e * e
		}
		return math.Sqrt(s)
	}
	tol := 1e-12 * norm(b)
	if norm(r) <= tol {
		return 0, true
	}
	z := make([]float64, m)
	for i := range z {
		z[i] = r[i] / diag[i]
	}
	p := slices.Clone(z)
	var rz float64
	for i := range r {
		rz += r[i] * z[i]
	}
	for it := 1; it <= 10*m+100; it++ {
		apply(p, tmp)
		var pAp float64
		for i := range p {
			pAp += p[i] * tmp[i]
		}
		alpha := rz / pAp
		for i := range x {
			x[i] += alpha * p[i]
			r[i] -= alpha * tmp[i]
		}
		if norm(r) <= tol {
			return it, true
		}
		var rzNew float64
		for i := range r {
			z[i] = r[i] / diag[i]
			rzNew += r[i] * z[i]
		}
		beta := rzNew / rz
		rz = rzNew
		for i := range p {
			p[i] = z[i] + beta*p[i]
		}
	}
	return 10*m + 100, false
}
