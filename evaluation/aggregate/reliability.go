package aggregate

import (
	"cmp"
	"slices"
)

// ICC is the advisory reliability of a set of sheets (评分信度): one-way
// random-effects intraclass correlation of the totals, projects as the
// groups, over the projects with at least two sheets.
type ICC struct {
	Projects int `json:"projects"` // a: projects with ≥ 2 sheets
	Sheets   int `json:"sheets"`   // N: their sheets
	// K0 is the effective panel size (N − Σ k_j² / N) / (a − 1); with equal
	// panels it is their size.
	K0  float64 `json:"k0"`
	MSB float64 `json:"msb"` // mean square between projects, points²
	MSW float64 `json:"msw"` // mean square within projects, points²
	// ICC1 is the reliability of one expert's total,
	// (MSB − MSW) / (MSB + (K0 − 1)·MSW); ICC1K that of a panel's mean,
	// (MSB − MSW) / MSB. Both can be negative (more disagreement within
	// panels than difference between projects), and are reported as
	// computed.
	ICC1  float64 `json:"icc1"`
	ICC1K float64 `json:"icc1k"`
	// Defined is false when there are fewer than two such projects, no
	// spread within them (N = a), or none between them (MSB = 0); the
	// figures are then zero.
	Defined bool `json:"defined"`
}

// Reliability computes the one-way ICC of the observations (one class of
// one campaign, say). Sums are taken exactly in half-points, so that the
// sums of squares come from exact integers: SSW_j = (k·Σt² − (Σt)²) / k.
func Reliability(obs []Observation) ICC {
	type acc struct {
		k       int64
		sum, sq int64 // half-points, half-points²
	}
	// Accumulated by project, in project order, so that the float sums
	// below come out the same on every run.
	projects, pos := index(obs, func(o *Observation) int64 { return o.Project })
	byProject := make([]acc, len(projects))
	for i, o := range obs {
		a := &byProject[pos[i]]
		t := int64(o.Total)
		a.k++
		a.sum += t
		a.sq += t * t
	}
	var out ICC
	var sumAll, sumK2 int64
	var ssw float64 // in half-points²
	for _, a := range byProject {
		if a.k < 2 {
			continue
		}
		out.Projects++
		out.Sheets += int(a.k)
		sumAll += a.sum
		sumK2 += a.k * a.k
		ssw += float64(a.k*a.sq-a.sum*a.sum) / float64(a.k)
	}
	a, n := float64(out.Projects), float64(out.Sheets)
	if out.Projects < 2 || out.Sheets == out.Projects {
		return ICC{Projects: out.Projects, Sheets: out.Sheets}
	}
	// SSB = Σ k_j (m_j − m)², from the deviations rather than as
	// Σ S_j²/k_j − S²/N, which loses digits to cancellation.
	grand := float64(sumAll) / n
	var ssb float64
	for _, a := range byProject {
		if a.k >= 2 {
			d := float64(a.sum)/float64(a.k) - grand
			ssb += float64(a.k) * d * d
		}
	}
	out.MSB = ssb / (a - 1) / 4 // half-points² to points²
	out.MSW = ssw / (n - a) / 4
	out.K0 = (n - float64(sumK2)/n) / (a - 1)
	if out.MSB <= 0 {
		return ICC{Projects: out.Projects, Sheets: out.Sheets}
	}
	out.ICC1 = (out.MSB - out.MSW) / (out.MSB + (out.K0-1)*out.MSW)
	out.ICC1K = (out.MSB - out.MSW) / out.MSB
	out.Defined = true
	return out
}

// Percentiles returns each score's percentile among them (位次百分位):
// 100·(rank − 0.5)/N, ranked from the lowest (rank 1), equal scores sharing
// the mean of their ranks. For 70, 82.67, 82.67, 90 the ranks are 1, 2.5,
// 2.5, 4 and the percentiles 12.5, 50, 50, 87.5. The caller passes the
// rounded official scores of one class, projects without a score left out.
func Percentiles(scores []Score) []float64 {
	n := len(scores)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(scores[a], scores[b]) })
	out := make([]float64, n)
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && scores[order[hi]] == scores[order[lo]] {
			hi++
		}
		// Ranks lo+1 … hi, mean (lo+1+hi)/2; rank − 0.5 = (lo+hi)/2.
		p := 100 * float64(lo+hi) / 2 / float64(n)
		for _, i := range order[lo:hi] {
			out[i] = p
		}
		lo = hi
	}
	return out
}
