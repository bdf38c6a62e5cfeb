package charts

// rng is a small fixed generator (64-bit LCG), so the examples do not
// depend on math/rand's algorithms staying the same.
type rng uint64

func (r *rng) float() float64 {
	*r = *r*6364136223846793005 + 1442695040888963407
	return float64(uint64(*r)>>11) / (1 << 53)
}
