// Package aggregate turns a campaign's submitted score sheets into results
// (评价结果): the official result of each project, computed exactly so that
// anyone can recompute it by hand, and beside it advisory figures that
// never replace it. It is pure: plain values in, values out, no I/O, no
// clock, no actor; it imports rubrics and the standard library only (gonum
// serves its tests as an independent least-squares solver). The rules are
// those of evaluation/README.md §3.5–§3.10 (the Shanghai S&T Commission's
// comprehensive performance evaluation); where the README is silent, the
// decisions below are this package's, and the tests pin each of them.
//
// # Official result (Official, Campaign)
//
// Arithmetic. Scores are rubrics.Points (half-points), so sheet totals and
// indicator sums are exact integers. Every figure shown is a Score, an
// int64 of hundredths of a point, rounded once, half away from zero, with
// integer arithmetic only (Average: the mean of m amounts summing to H
// half-points is 50·H / m hundredths, rounded by quotient and remainder);
// no float64 is ever summed or rounded on the way. 81.625 is 81.63, never
// 81.62. Score prints and marshals with two decimals ("82.67", "76.00").
//
// Panel score (技术评分) of the n submitted technical sheets, by the
// campaign's Method (the empty Method is TrimmedMean):
//
//	method        n ≥ 5                          3 ≤ n ≤ 4        n < 3
//	trimmed_mean  drop one lowest and one        mean of all n    no score
//	              highest total, mean of n − 2
//	mean          mean of all n                  mean of all n    no score
//	median        middle total; even n: mean     same             no score
//	              of the two middle ones
//
// The n-rules are the same for every method: below MinSheets (3) there is
// no score and no conclusion is proposed. The trimmed mean drops exactly one
// total at each end even when several are equal; TechnicalResult.Dropped
// names them (among equal totals, the lower expert id counts as lower),
// which does not change the score. A median is always exact (a multiple of
// 0.25) and needs no rounding.
//
// Grade (等级) is the band of the technical rubric that the rounded panel
// score falls in (bands from the best down: the first whose minimum it
// reaches). No score, no grade.
//
// Indicator means are taken over all n technical sheets (never trimmed),
// rounded like the score, and an indicator's threshold is checked on the
// rounded mean, as the grade and the pass line are: the figure shown is the
// figure judged. (With fewer than 101 sheets a mean cannot fall within
// 0.005 below a half-point threshold, so rounded and exact agree; with 200
// sheets 14.9975 shows as 15.00 and meets 15.) Threshold checks count
// towards the proposal only when there is a panel score.
//
// Finance track (财务评价): the finance score is the mean of the submitted
// finance totals, rounded the same way, with no minimum n (one finance
// expert is the default). The track passes when the score ≥ the finance
// rubric's pass line and more than half of the finance experts say pass
// (2·votes > n): one expert decides alone, and a tie fails. With no finance
// sheet the track has no result (Passed is nil) and nothing is proposed.
//
// Veto items (一票否决): an item holds when more than half of the submitted
// sheets of the rubric that lists it flag it (2·flags > n; exactly half does
// not hold), counted per track (technical sheets against the technical
// rubric, finance sheets against the finance rubric, even where a code such
// as V1 is in both), or when agency staff confirmed it (Confirmation, whose
// reason must not be blank). Vetoes are resolved on the sheets given, with
// no minimum n. Every item flagged at least once or confirmed is listed,
// held or not.
//
// Divergence (评分分歧) is measured on the technical totals whenever there
// are any: the range (highest − lowest) and the largest distance of a total
// from their exact median. It is flagged when the range is more than the
// range limit or a distance more than the distance limit, both strictly
// (defaults 20 and 15 points; a campaign sets its own in Settings, zero
// meaning the default): a total exactly 15 from the median, or a range of
// exactly 20, is not divergent. Divergence does not change the score or
// the proposal; it sends the project back for discussion.
//
// Proposal (建议结论) and reasons: every reason found is listed as a
// Reason, a code with its arguments, in a fixed order: too_few_sheets
// (count of 3), no_finance_sheet, below_pass_line (score, line),
// threshold_missed (indicator, mean, threshold; rubric order),
// finance_below_pass_line (score, line), finance_vote_failed (votes of n),
// veto_held (track, item, flags of n, confirmed; technical then finance,
// rubric order). The proposal is none when a figure is missing (the first
// two codes), fail when any other reason is listed, and pass otherwise; a
// score exactly on the pass line passes. Reasons are listed even beside
// none, so staff see at once what else stands in the way.
//
// Input errors (a missing or out-of-range score, an unknown indicator or
// veto item, an item flagged twice, two sheets of one expert, a
// confirmation without a reason or of an unknown item, an unknown method,
// a negative limit) are returned wrapping ErrInvalid: the stored sheets
// always keep these rules, so such an error is the caller's bug.
//
// # Advisory figures (Leniency, Reliability, Percentiles, Campaign)
//
// These are floating-point estimates beyond the practice (参考指标), shown
// beside the official results, labelled as advisory, and never feeding the
// proposal.
//
// Leniency (宽严度) fits t = q_project + b_expert to every technical total
// of the campaign (all classes together; every technical rubric totals
// 100) by penalised least squares: Σ (t − q − b)² + λ·Σ b², λ = Shrinkage
// = 1. The penalty is how experts with few sheets are handled: a bias is
// shrunk as if the expert had scored λ more sheets exactly as the fit
// expects, so an expert with one sheet gets half its deviation, one with
// eight 8/9. It also settles the constraint of the README: shifting a
// component's biases by c and its projects by −c changes no residual, so
// the penalty is least, and the fit always lies, where the biases of each
// connected component of the expert–project graph sum to zero. Components
// are reported (numbered by their lowest project id); biases and
// calibrated scores compare only within one, since a whole group of
// lenient experts who never share a project with others cannot be told
// from a group of better projects. An expert with one sheet, or who shares
// no project with another expert (alone in its component, its bias is 0), is
// marked not Estimable. The biases solve the reduced system (L + λI) b = r
// (L the expert graph's Laplacian weighted by 1/panel size) by Jacobi-
// preconditioned conjugate gradients, sparse and O(sheets) per iteration,
// with a condition number below (2·max sheets + λ)/λ whatever the graph;
// a 5,000-expert dense solve would not be. The tests check it against
// gonum's dense solution of the full normal equations.
//
// Calibrated score (校准分) of a project: its fitted q, the mean over its
// sheets of t − b, rounded to hundredths from the float (RoundFloat); it
// may in principle differ in the last digit from an exact computation at a
// tie, which is acceptable for an advisory figure and never occurs in the
// official ones.
//
// Reliability (信度) per class: the one-way random-effects ICC over the
// projects with at least two technical sheets, with unequal panels handled
// by k0 = (N − Σ k_j² / N) / (a − 1): ICC(1) = (MSB − MSW) / (MSB + (k0 −
// 1)·MSW) for one expert, ICC(1,k) = (MSB − MSW) / MSB for a panel's mean.
// Sums are exact integers in half-points before the divisions. It is
// undefined (Defined false, figures zero) with fewer than two such
// projects, no spread within panels to measure (N = a) or none between them
// (MSB = 0); a negative value is reported as computed.
//
// Percentile within class (位次百分位): among the projects of the class
// with an official score, ranked by rounded score from the lowest (rank 1),
// equal scores sharing the mean of their ranks: 100·(rank − 0.5)/N. A
// project without a score has no percentile and is not counted in N.
package aggregate
