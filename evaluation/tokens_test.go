package evaluation_test

import (
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

func TestTokens(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	u := e.staff(t, "li.wei", "SSTPC")
	meta := evaluation.LoginMeta{IP: "198.51.100.4", Channel: "api"}

	t.Run("issue and authenticate", func(t *testing.T) {
		secret, tok, err := e.svc.Accounts.IssueToken(ctx, "li.wei", pw, " laptop ", meta)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, "ep_") || len(secret) < 40 {
			t.Errorf("secret = %q, want ep_ and at least 256 bits", secret)
		}
		now := e.clock.now()
		if tok.UserID != u.ID || tok.Name != "laptop" || tok.Prefix != secret[:9] ||
			!tok.CreatedAt.Equal(now) || !tok.ExpiresAt.Equal(now.Add(evaluation.TokenLifetime)) {
			t.Errorf("token = %+v, want laptop of user %d, prefix %s, valid %v from %v", tok, u.ID, secret[:9], evaluation.TokenLifetime, now)
		}
		var stored string
		if err := e.db.QueryRowContext(ctx, `SELECT hash FROM api_tokens WHERE id = ?`, tok.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored != evaluation.HashToken(secret) || strings.Contains(stored, secret[3:]) {
			t.Errorf("stored %q, want the SHA-256 of the secret only", stored)
		}
		if a := e.lastAudit(t); a.Action != "token.create" || a.ActorID != u.ID || details(t, a)["ip"] != meta.IP {
			t.Errorf("audit entry = %+v, want token.create by %d from %s", a, u.ID, meta.IP)
		}

		e.clock.advance(time.Hour)
		gotUser, gotTok, err := e.svc.Accounts.AuthenticateToken(ctx, secret)
		if err != nil {
			t.Fatal(err)
		}
		if gotUser.ID != u.ID || gotTok.ID != tok.ID {
			t.Errorf("AuthenticateToken = user %d, token %d; want %d, %d", gotUser.ID, gotTok.ID, u.ID, tok.ID)
		}
		stTok, err := e.db.Token(ctx, tok.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !stTok.LastUsedAt.Equal(e.clock.now()) {
			t.Errorf("last used = %v, want %v", stTok.LastUsedAt, e.clock.now())
		}
	})

	t.Run("refused secrets", func(t *testing.T) {
		secret, _, err := e.svc.Accounts.IssueToken(ctx, "li.wei", pw, "", meta)
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct{ name, secret string }{
			{"empty", ""},
			{"no prefix", strings.TrimPrefix(secret, "ep_")},
			{"unknown", "ep_" + strings.Repeat("A", 43)},
			{"altered", secret[:len(secret)-1] + "x"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u, tok, err := e.svc.Accounts.AuthenticateToken(ctx, tt.secret)
				wantCode(t, err, evaluation.Unauthenticated)
				if u != nil || tok != nil {
					t.Errorf("got %v, %v with the error", u, tok)
				}
			})
		}
	})

	t.Run("issue refused", func(t *testing.T) {
		tests := []struct {
			name, username, password, tokenName string
			want                                evaluation.Code
		}{
			{"wrong password", "li.wei", "wrong-password", "", evaluation.Unauthenticated},
			{"unknown user", "nobody", pw, "", evaluation.Unauthenticated},
			{"name too long", "li.wei", pw, strings.Repeat("n", 65), evaluation.Invalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				entries := e.auditCount(t)
				secret, tok, err := e.svc.Accounts.IssueToken(ctx, tt.username, tt.password, tt.tokenName, meta)
				wantCode(t, err, tt.want)
				if secret != "" || tok != nil {
					t.Errorf("got %q, %v with the error", secret, tok)
				}
				if n := e.auditCount(t); n != entries {
					t.Errorf("%d audit entries written, want none", n-entries)
				}
			})
		}
	})

	t.Run("revoke", func(t *testing.T) {
		secret, tok, err := e.svc.Accounts.CreateToken(ctx, u.Actor(), "to revoke", meta)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Accounts.RevokeToken(ctx, u.Actor(), tok.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = e.svc.Accounts.AuthenticateToken(ctx, secret)
		wantCode(t, err, evaluation.Unauthenticated)
		entries := e.auditCount(t)
		if err := e.svc.Accounts.RevokeToken(ctx, u.Actor(), tok.ID); err != nil {
			t.Errorf("second revocation: %v, want nil", err)
		}
		if n := e.auditCount(t); n != entries {
			t.Errorf("second revocation wrote %d audit entries, want none", n-entries)
		}
		err = e.svc.Accounts.RevokeToken(ctx, u.Actor(), 999)
		wantCode(t, err, evaluation.NotFound)
	})

	t.Run("expiry", func(t *testing.T) {
		secret, tok, err := e.svc.Accounts.CreateToken(ctx, u.Actor(), "expiring", meta)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.advance(tok.ExpiresAt.Sub(e.clock.now()) - time.Second)
		if _, _, err := e.svc.Accounts.AuthenticateToken(ctx, secret); err != nil {
			t.Fatalf("a second before expiry: %v", err)
		}
		e.clock.advance(time.Second)
		_, _, err = e.svc.Accounts.AuthenticateToken(ctx, secret)
		wantCode(t, err, evaluation.Unauthenticated)
	})

	t.Run("disabled user", func(t *testing.T) {
		v := e.user(t, evaluation.NewUser{Username: "to.disable", Role: evaluation.RoleCommission})
		secret, _, err := e.svc.Accounts.CreateToken(ctx, v.Actor(), "", meta)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Accounts.UpdateUser(ctx, e.admin, v.ID, evaluation.UserUpdate{Disabled: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		_, _, err = e.svc.Accounts.AuthenticateToken(ctx, secret)
		wantCode(t, err, evaluation.Unauthenticated)
	})

	t.Run("other users' tokens", func(t *testing.T) {
		secret, tok, err := e.svc.Accounts.CreateToken(ctx, u.Actor(), "mine", meta)
		if err != nil {
			t.Fatal(err)
		}
		other := e.staff(t, "zhou", "SSTPC").Actor()
		err = e.svc.Accounts.RevokeToken(ctx, other, tok.ID)
		wantCode(t, err, evaluation.NotFound)
		if _, _, err := e.svc.Accounts.AuthenticateToken(ctx, secret); err != nil {
			t.Fatalf("token after another user's refused revocation: %v", err)
		}
		_, err = e.svc.Accounts.UserTokens(ctx, other, u.ID)
		wantCode(t, err, evaluation.NotFound)
		own, err := e.svc.Accounts.Tokens(ctx, other)
		if err != nil || len(own) != 0 {
			t.Errorf("Tokens of a user without tokens = %d, %v; want none", len(own), err)
		}

		if err := e.svc.Accounts.RevokeToken(ctx, e.admin, tok.ID); err != nil {
			t.Fatalf("admin revocation: %v", err)
		}
		a := e.lastAudit(t)
		if a.Action != "token.revoke" || a.ActorID != e.admin.UserID || details(t, a)["user_id"] != float64(u.ID) {
			t.Errorf("audit entry = %+v, want token.revoke by the admin of a token of user %d", a, u.ID)
		}
		_, _, err = e.svc.Accounts.AuthenticateToken(ctx, secret)
		wantCode(t, err, evaluation.Unauthenticated)
	})
}
