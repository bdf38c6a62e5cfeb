package web

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
)

// langCookie remembers the language chosen before signing in.
const langCookie = "evalpanel_lang"

// sessionCookie holds the session's id.
const sessionCookie = "evalpanel_session"

// identify finds who is calling, from a bearer token on the API and from
// the session cookie in the UI, and picks the response language. It never
// refuses a request itself: the rbac middleware of each route does.
func (a *App) identify(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if isAPI(c) {
		if secret, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer "); ok {
			u, t, err := a.accounts.AuthenticateToken(ctx, strings.TrimSpace(secret))
			switch evaluation.ErrorCode(err) {
			case "":
				c.Locals(localUser, u)
				c.Locals(localToken, t)
			case evaluation.Unauthenticated:
			default:
				return err
			}
		}
	} else {
		sess, err := a.sessions.Get(c)
		if err != nil {
			return err
		}
		if _, ok := sess.Get("uid").(int64); ok {
			u, err := a.sessionUser(ctx, sess)
			switch evaluation.ErrorCode(err) {
			case "":
				c.Locals(localUser, u)
			case evaluation.Unauthenticated, evaluation.NotFound:
				// Disabled or removed since signing in: end the session.
				if err := sess.Destroy(); err != nil {
					return err
				}
			default:
				return err
			}
		}
	}
	c.Locals(localLang, a.pickLanguage(c))
	return c.Next()
}

// sessionUser is the user signed in with the session, or an
// unauthenticated error when no one is or the account can no longer sign
// in.
func (a *App) sessionUser(ctx context.Context, sess *session.Session) (*evaluation.User, error) {
	uid, ok := sess.Get("uid").(int64)
	if !ok {
		return nil, evaluation.ErrUnauthorized
	}
	u, err := a.accounts.SessionUser(ctx, uid)
	if err != nil {
		return nil, err
	}
	// A password changed or reset, or the account disabled, since the
	// session began ends it.
	if version, _ := sess.Get(sessionCredentials).(int64); version != u.CredentialsVersion {
		return nil, evaluation.ErrUnauthorized
	}
	return u, nil
}

// sessionCredentials is the session key of the user's credentials version
// when the session began.
const sessionCredentials = "cv"

// startSession signs the user in on this browser, under a new session id
// (which defeats session fixation), at their current credentials version.
func (a *App) startSession(c *fiber.Ctx, u *evaluation.User) error {
	sess, err := a.sessions.Get(c)
	if err != nil {
		return err
	}
	if err := sess.Regenerate(); err != nil {
		return err
	}
	sess.Set("uid", u.ID)
	sess.Set(sessionCredentials, u.CredentialsVersion)
	return sess.Save()
}

// renewSession keeps the signed-in user's own session, and only that one,
// after they changed their own credentials.
func (a *App) renewSession(c *fiber.Ctx) error {
	u, err := a.accounts.SessionUser(c.UserContext(), actor(c).UserID)
	if err != nil {
		return err
	}
	return a.startSession(c, u)
}

// pickLanguage: on the API, an Accept-Language header the client sent;
// then a signed-in user's preference; then, in the UI, the language chosen
// in this browser before signing in; else zh-CN.
func (a *App) pickLanguage(c *fiber.Ctx) evaluation.Language {
	if isAPI(c) {
		first, _, _ := strings.Cut(c.Get(fiber.HeaderAcceptLanguage), ",")
		if l, ok := evaluation.ParseLanguage(strings.Split(first, ";")[0]); ok {
			return l
		}
	}
	if u := currentUser(c); u != nil && u.Language.Valid() {
		return u.Language
	}
	if !isAPI(c) {
		if l, ok := evaluation.ParseLanguage(c.Cookies(langCookie)); ok {
			return l
		}
	}
	return evaluation.LangZH
}

func langOf(c *fiber.Ctx) evaluation.Language {
	if l, ok := c.Locals(localLang).(evaluation.Language); ok {
		return l
	}
	return evaluation.LangZH
}

func loginMeta(c *fiber.Ctx, channel string) evaluation.LoginMeta {
	return evaluation.LoginMeta{IP: c.IP(), Channel: channel}
}

// LoginAttempts is where the sign-in rate limit counts attempts: the
// store's database (sqlstore.DB), so that every instance serving the same
// users counts the same attempts.
type LoginAttempts interface {
	// CountLoginAttempt counts an attempt for key and returns 0, or, when
	// the key has had max attempts in the window, counts nothing and
	// returns how long it must wait; one atomic step, across instances.
	CountLoginAttempt(ctx context.Context, key string, now time.Time, window time.Duration, max int) (time.Duration, error)
	// ReleaseLoginAttempt takes back the key's latest attempt.
	ReleaseLoginAttempt(ctx context.Context, key string) error
}

// loginLimiter counts sign-in attempts per account and address in a
// sliding window. An attempt is counted before its password is checked,
// in the same step as the check of the count, so that attempts sent in
// parallel cannot all pass while the first ones are still hashing; a
// successful sign-in takes back its own attempt, so only failures add up
// (and a right password in a burst of wrong ones lets no more of them in).
// fiber's limiter middleware counts requests, not failures, so this is our
// own; the counts are in the database (LoginAttempts).
type loginLimiter struct {
	max    int
	window time.Duration
	now    func() time.Time
	store  LoginAttempts
	log    *slog.Logger
}

func newLoginLimiter(store LoginAttempts, max int, window time.Duration, now func() time.Time, log *slog.Logger) *loginLimiter {
	return &loginLimiter{max: max, window: window, now: now, store: store, log: log}
}

func limiterKey(username, ip string) string {
	return evaluation.NormalizeUsername(username) + "\x00" + ip
}

// passwordKey is the limiter's key of a signed-in user's attempts at their
// current password, wherever they come from.
func passwordKey(userID int64) string {
	return "\x00password\x00" + strconv.FormatInt(userID, 10)
}

// attempt counts an attempt for key and returns 0, or, when the key has
// used up its attempts in the window, counts nothing and returns how long
// it must wait.
func (l *loginLimiter) attempt(ctx context.Context, key string) (time.Duration, error) {
	return l.store.CountLoginAttempt(ctx, key, l.now(), l.window, l.max)
}

// succeed takes back the attempt of a caller who proved who they are.
func (l *loginLimiter) succeed(ctx context.Context, key string) { l.release(ctx, key) }

// release takes back one of the key's attempts, made when no password
// was checked after all. A failure leaves the attempt counted (the safe
// side) and is logged.
func (l *loginLimiter) release(ctx context.Context, key string) {
	if err := l.store.ReleaseLoginAttempt(context.WithoutCancel(ctx), key); err != nil {
		l.log.Error("release sign-in attempt", "err", err)
	}
}

// limited counts an attempt for the key, or answers 429 with Retry-After
// when the key is locked out.
func (a *App) limited(c *fiber.Ctx, key string) error {
	wait, err := a.limiter.attempt(c.UserContext(), key)
	if err != nil {
		return err
	}
	if wait <= 0 {
		return nil
	}
	secs := int(wait.Seconds() + 0.999)
	if secs < 1 {
		secs = 1
	}
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
	return evaluation.Errorf(evaluation.TooManyRequests, "error.too_many_logins")
}
