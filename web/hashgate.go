package web

import (
	"context"
	"strconv"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
)

// Password hashing is bounded. Each argon2id hash holds 19 MiB and a core
// for a while, and signing in is open to anyone, so unbounded parallel
// sign-ins would take the server's memory. A request that would hash waits
// for one of Config.HashConcurrency slots for as long as its context
// allows, at most Config.HashWait, and is then answered 503 with
// Retry-After instead of queueing without end.

// hashing runs fn, which hashes a password, in a hashing slot. When no slot
// frees up in time it returns the unavailable error, fn not run.
func (a *App) hashing(c *fiber.Ctx, fn func() error) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), a.cfg.HashWait)
	defer cancel()
	select {
	case a.hashSlots <- struct{}{}:
	case <-ctx.Done():
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(1, int(a.cfg.HashWait/time.Second))))
		a.log.Warn("password hashing busy", "method", c.Method(), "path", c.Path(), "ip", c.IP())
		return evaluation.Errorf(evaluation.Unavailable, "error.busy")
	}
	defer func() { <-a.hashSlots }()
	return fn()
}
