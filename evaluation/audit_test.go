package evaluation_test

import (
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestAuditEveryChange: each state-changing call writes exactly one audit
// entry, with its action; calls that change nothing write none.
func TestAuditEveryChange(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	meta := evaluation.LoginMeta{IP: "192.0.2.1", Channel: "web"}
	n := 0
	// fresh returns a new staff account of SSTPC.
	fresh := func(t *testing.T) *evaluation.User {
		t.Helper()
		n++
		return e.staff(t, "staff"+idString(int64(n)), "SSTPC")
	}

	tests := []struct {
		name string
		// prepare sets up what the call needs and returns the call; only the
		// call's entries are counted.
		prepare    func(t *testing.T) func() error
		wantAction string // "" when no entry is expected
	}{
		{"create agency", func(*testing.T) func() error {
			return func() error {
				_, err := e.svc.Accounts.CreateAgency(ctx, e.admin, evaluation.NewAgency{Code: "NEW1", NameZH: "新", NameEN: "New"})
				return err
			}
		}, "agency.create"},
		{"rename agency", func(*testing.T) func() error {
			return func() error {
				_, err := e.svc.Accounts.UpdateAgency(ctx, e.admin, e.agency.ID, evaluation.AgencyUpdate{NameEN: ptr("Renamed")})
				return err
			}
		}, "agency.update"},
		{"agency update that changes nothing", func(*testing.T) func() error {
			return func() error {
				_, err := e.svc.Accounts.UpdateAgency(ctx, e.admin, e.agency.ID, evaluation.AgencyUpdate{NameEN: ptr("Renamed")})
				return err
			}
		}, ""},
		{"create user", func(*testing.T) func() error {
			return func() error {
				_, err := e.svc.Accounts.CreateUser(ctx, e.admin, evaluation.NewUser{Username: "newbie", Name: "N", Role: evaluation.RoleCommission, Password: pw})
				return err
			}
		}, "user.create"},
		{"create expert", func(*testing.T) func() error {
			return func() error {
				return e.svc.Pool.CreateExpert(ctx, e.admin, &evaluation.Expert{Name: "赵", Type: evaluation.Investor, Institution: "x",
					TitleLevel: evaluation.TitleOther, Region: evaluation.RegionNonLocal, CanBeDrawn: true})
			}
		}, "expert.create"},
		{"rename user", func(t *testing.T) func() error {
			u := fresh(t)
			return func() error {
				_, err := e.svc.Accounts.UpdateUser(ctx, e.admin, u.ID, evaluation.UserUpdate{Name: ptr("新名字")})
				return err
			}
		}, "user.update"},
		{"user update that changes nothing", func(t *testing.T) func() error {
			u := fresh(t)
			return func() error {
				_, err := e.svc.Accounts.UpdateUser(ctx, e.admin, u.ID, evaluation.UserUpdate{Name: ptr(u.Name), Disabled: ptr(false)})
				return err
			}
		}, ""},
		{"disable user", func(t *testing.T) func() error {
			u := fresh(t)
			return func() error {
				_, err := e.svc.Accounts.UpdateUser(ctx, e.admin, u.ID, evaluation.UserUpdate{Disabled: ptr(true)})
				return err
			}
		}, "user.disable"},
		{"enable user", func(t *testing.T) func() error {
			u := fresh(t)
			if _, err := e.svc.Accounts.UpdateUser(ctx, e.admin, u.ID, evaluation.UserUpdate{Disabled: ptr(true)}); err != nil {
				t.Fatal(err)
			}
			return func() error {
				_, err := e.svc.Accounts.UpdateUser(ctx, e.admin, u.ID, evaluation.UserUpdate{Disabled: ptr(false)})
				return err
			}
		}, "user.enable"},
		{"set language", func(t *testing.T) func() error {
			u := fresh(t)
			return func() error { return e.svc.Accounts.SetLanguage(ctx, u.Actor(), evaluation.LangEN) }
		}, "user.language"},
		{"set the same language", func(t *testing.T) func() error {
			u := fresh(t)
			return func() error { return e.svc.Accounts.SetLanguage(ctx, u.Actor(), evaluation.LangZH) }
		}, ""},
		{"reset password", func(t *testing.T) func() error {
			u := fresh(t)
			return func() error { return e.svc.Accounts.ResetPassword(ctx, e.admin, u.ID, "reset-password-1") }
		}, "user.password_reset"},
		{"change password", func(t *testing.T) func() error {
			u := fresh(t)
			return func() error { return e.svc.Accounts.ChangePassword(ctx, u.Actor(), pw, "changed-password-1") }
		}, "user.password_change"},
		{"login", func(t *testing.T) func() error {
			u := fresh(t)
			return func() error { _, err := e.svc.Accounts.Login(ctx, u.Username, pw, meta); return err }
		}, "user.login"},
		{"logout", func(t *testing.T) func() error {
			u := fresh(t)
			return func() error { return e.svc.Accounts.Logout(ctx, u.Actor(), meta) }
		}, "user.logout"},
		{"issue token", func(t *testing.T) func() error {
			u := fresh(t)
			return func() error { _, _, err := e.svc.Accounts.IssueToken(ctx, u.Username, pw, "", meta); return err }
		}, "token.create"},
		{"create token", func(t *testing.T) func() error {
			u := fresh(t)
			return func() error { _, _, err := e.svc.Accounts.CreateToken(ctx, u.Actor(), "", meta); return err }
		}, "token.create"},
		{"use token", func(t *testing.T) func() error {
			u := fresh(t)
			secret, _, err := e.svc.Accounts.CreateToken(ctx, u.Actor(), "", meta)
			if err != nil {
				t.Fatal(err)
			}
			return func() error { _, _, err := e.svc.Accounts.AuthenticateToken(ctx, secret); return err }
		}, ""},
		{"revoke token", func(t *testing.T) func() error {
			u := fresh(t)
			_, tok, err := e.svc.Accounts.CreateToken(ctx, u.Actor(), "", meta)
			if err != nil {
				t.Fatal(err)
			}
			return func() error { return e.svc.Accounts.RevokeToken(ctx, u.Actor(), tok.ID) }
		}, "token.revoke"},
		{"system event", func(*testing.T) func() error {
			return func() error { return e.svc.Accounts.RecordSystemEvent(ctx, "demo.seed", map[string]any{"experts": 3}) }
		}, "demo.seed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call := tt.prepare(t)
			before := e.auditCount(t)
			if err := call(); err != nil {
				t.Fatalf("call: %v", err)
			}
			want := 0
			if tt.wantAction != "" {
				want = 1
			}
			if got := e.auditCount(t) - before; got != want {
				t.Fatalf("%d audit entries written, want %d", got, want)
			}
			if want == 1 {
				if got := e.lastAudit(t).Action; got != tt.wantAction {
					t.Errorf("action = %q, want %q", got, tt.wantAction)
				}
			}
		})
	}

	count, _, problem, err := evaluation.VerifyAudit(ctx, e.db)
	if err != nil || problem != nil {
		t.Errorf("VerifyAudit = %v, %v, want an intact log", problem, err)
	}
	if want := int64(e.auditCount(t)); count != want {
		t.Errorf("VerifyAudit read %d entries, want %d", count, want)
	}
}
