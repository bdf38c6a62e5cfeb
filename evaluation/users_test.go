package evaluation_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/google/go-cmp/cmp"
)

func TestCreateUser(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	ex := e.expert(t, "王教授")

	tests := []struct {
		name string
		in   evaluation.NewUser
		want evaluation.User
	}{
		{"staff, username normalised, default language",
			evaluation.NewUser{Username: "  Zhang.Wei ", Name: " 张伟 ", Role: evaluation.RoleAgencyStaff, AgencyCode: "SSTPC", Password: pw},
			evaluation.User{Username: "zhang.wei", Name: "张伟", Role: evaluation.RoleAgencyStaff, AgencyID: e.agency.ID,
				AgencyCode: "SSTPC", Language: evaluation.LangZH}},
		{"expert linked to the pool",
			evaluation.NewUser{Username: "expert01", Name: "王教授", Role: evaluation.RoleExpert, ExpertID: ex.ID, Language: evaluation.LangEN, Password: pw},
			evaluation.User{Username: "expert01", Name: "王教授", Role: evaluation.RoleExpert, ExpertID: ex.ID, Language: evaluation.LangEN}},
		{"commission",
			evaluation.NewUser{Username: "sstc_01", Name: "Qian", Role: evaluation.RoleCommission, Password: pw},
			evaluation.User{Username: "sstc_01", Name: "Qian", Role: evaluation.RoleCommission, Language: evaluation.LangZH}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.svc.Accounts.CreateUser(ctx, e.admin, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.ID = got.ID
			want.CreatedAt, want.UpdatedAt = e.clock.now(), e.clock.now()
			want.PasswordHash = got.PasswordHash
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("returned user (-want +got):\n%s", diff)
			}
			stored, err := e.db.User(ctx, got.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&want, stored); diff != "" {
				t.Errorf("stored user (-want +got):\n%s", diff)
			}
			a := e.lastAudit(t)
			if a.Action != "user.create" || a.ObjectID != idString(got.ID) || a.ActorID != e.admin.UserID || a.AgencyID != want.AgencyID {
				t.Errorf("audit entry = %+v, want user.create of user %d by %d in agency %d", a, got.ID, e.admin.UserID, want.AgencyID)
			}
			if d := details(t, a); d["username"] != want.Username || d["role"] != string(want.Role) {
				t.Errorf("audit details = %v, want username %s and role %s", d, want.Username, want.Role)
			}
		})
	}
}

func TestCreateUserRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	old := e.newAgency(t, "OLD")
	e.disableAgency(t, old)
	linked := e.expert(t, "已有账号")
	e.user(t, evaluation.NewUser{Username: "expert01", Role: evaluation.RoleExpert, ExpertID: linked.ID})
	e.user(t, evaluation.NewUser{Username: "taken", Role: evaluation.RoleCommission})

	valid := evaluation.NewUser{Username: "new.user", Name: "New User", Role: evaluation.RoleCommission, Password: pw}
	tests := []struct {
		name      string
		change    func(*evaluation.NewUser)
		wantCode  evaluation.Code
		wantField string
		wantMsg   string
	}{
		{"username too short", func(n *evaluation.NewUser) { n.Username = "ab" }, evaluation.Invalid, "username", "error.username_format"},
		{"username too long", func(n *evaluation.NewUser) { n.Username = strings.Repeat("a", 33) }, evaluation.Invalid, "username", "error.username_format"},
		{"username blank", func(n *evaluation.NewUser) { n.Username = "   " }, evaluation.Invalid, "username", "error.username_format"},
		{"username starts with a dot", func(n *evaluation.NewUser) { n.Username = ".zhang" }, evaluation.Invalid, "username", "error.username_format"},
		{"username with a space", func(n *evaluation.NewUser) { n.Username = "zhang wei" }, evaluation.Invalid, "username", "error.username_format"},
		{"username with @", func(n *evaluation.NewUser) { n.Username = "zhang@wei" }, evaluation.Invalid, "username", "error.username_format"},
		{"username in Chinese", func(n *evaluation.NewUser) { n.Username = "张伟伟" }, evaluation.Invalid, "username", "error.username_format"},
		{"username taken, in another case", func(n *evaluation.NewUser) { n.Username = "TAKEN" }, evaluation.Conflict, "username", "error.already_exists"},
		{"name blank", func(n *evaluation.NewUser) { n.Name = "  " }, evaluation.Invalid, "name", "error.required"},
		{"name too long", func(n *evaluation.NewUser) { n.Name = strings.Repeat("名", 65) }, evaluation.Invalid, "name", "error.too_long"},
		{"password short", func(n *evaluation.NewUser) { n.Password = "123456789" }, evaluation.Invalid, "password", "error.password_too_short"},
		{"password short in characters", func(n *evaluation.NewUser) { n.Password = "密码密码密码" }, evaluation.Invalid, "password", "error.password_too_short"},
		{"password long", func(n *evaluation.NewUser) { n.Password = strings.Repeat("x", 129) }, evaluation.Invalid, "password", "error.password_too_long"},
		{"password blank", func(n *evaluation.NewUser) { n.Password = strings.Repeat(" ", 12) }, evaluation.Invalid, "password", "error.password_blank"},
		{"password empty", func(n *evaluation.NewUser) { n.Password = "" }, evaluation.Invalid, "password", "error.password_too_short"},
		{"unknown role", func(n *evaluation.NewUser) { n.Role = "root" }, evaluation.Invalid, "role", "error.role_invalid"},
		{"unknown language", func(n *evaluation.NewUser) { n.Language = "fr" }, evaluation.Invalid, "language", "error.language_invalid"},
		{"e-mail without @", func(n *evaluation.NewUser) { n.Email = "office.sstpc.cn" }, evaluation.Invalid, "email", "error.email_format"},
		{"e-mail with a name", func(n *evaluation.NewUser) { n.Email = "Office <office@sstpc.cn>" }, evaluation.Invalid, "email", "error.email_format"},
		{"staff without agency", func(n *evaluation.NewUser) { n.Role = evaluation.RoleAgencyStaff }, evaluation.Invalid, "agency", "error.agency_required"},
		{"commission with agency", func(n *evaluation.NewUser) { n.AgencyCode = "SSTPC" }, evaluation.Invalid, "agency", "error.agency_not_allowed"},
		{"admin with agency", func(n *evaluation.NewUser) { n.Role, n.AgencyCode = evaluation.RoleAdmin, "SSTPC" }, evaluation.Invalid, "agency", "error.agency_not_allowed"},
		{"unknown agency", func(n *evaluation.NewUser) { n.Role, n.AgencyCode = evaluation.RoleAgencyStaff, "NOPE" }, evaluation.Invalid, "agency", "error.agency_unknown"},
		{"disabled agency", func(n *evaluation.NewUser) { n.Role, n.AgencyCode = evaluation.RoleAgencyStaff, "OLD" }, evaluation.Invalid, "agency", "error.agency_disabled"},
		{"expert_id on a non-expert", func(n *evaluation.NewUser) { n.ExpertID = linked.ID + 100 }, evaluation.Invalid, "expert_id", "error.expert_not_allowed"},
		{"unknown expert", func(n *evaluation.NewUser) { n.Role, n.ExpertID = evaluation.RoleExpert, 999 }, evaluation.Invalid, "expert_id", "error.expert_unknown"},
		{"expert already linked", func(n *evaluation.NewUser) { n.Role, n.ExpertID = evaluation.RoleExpert, linked.ID }, evaluation.Invalid, "expert_id", "error.expert_has_account"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid
			tt.change(&in)
			users, entries := e.userCount(t), e.auditCount(t)
			u, err := e.svc.Accounts.CreateUser(ctx, e.admin, in)
			got := wantCode(t, err, tt.wantCode)
			if msg, ok := got.Fields[tt.wantField]; !ok || msg != tt.wantMsg {
				t.Errorf("Fields = %v, want %s: %s", got.Fields, tt.wantField, tt.wantMsg)
			}
			if u != nil {
				t.Errorf("got user %+v with the error, want nil", u)
			}
			if n := e.userCount(t); n != users {
				t.Errorf("%d users after the refusal, want %d", n, users)
			}
			if n := e.auditCount(t); n != entries {
				t.Errorf("%d audit entries after the refusal, want %d", n, entries)
			}
		})
	}
}

// TestAdminOnly: only administrators manage accounts and agencies.
func TestAdminOnly(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	staff := e.staff(t, "li.wei", "SSTPC")
	comm := e.user(t, evaluation.NewUser{Username: "comm", Role: evaluation.RoleCommission})
	ex := e.expert(t, "王教授")
	expert := e.user(t, evaluation.NewUser{Username: "expert01", Role: evaluation.RoleExpert, ExpertID: ex.ID})
	target := e.user(t, evaluation.NewUser{Username: "target", Role: evaluation.RoleCommission})

	calls := []struct {
		name string
		call func(evaluation.Actor) error
	}{
		{"CreateUser", func(a evaluation.Actor) error {
			_, err := e.svc.Accounts.CreateUser(ctx, a, evaluation.NewUser{Username: "sneaky", Name: "x", Role: evaluation.RoleAdmin, Password: pw})
			return err
		}},
		{"UpdateUser", func(a evaluation.Actor) error {
			_, err := e.svc.Accounts.UpdateUser(ctx, a, target.ID, evaluation.UserUpdate{Role: ptr(evaluation.RoleAdmin)})
			return err
		}},
		{"UpdateUser self", func(a evaluation.Actor) error {
			_, err := e.svc.Accounts.UpdateUser(ctx, a, a.UserID, evaluation.UserUpdate{Role: ptr(evaluation.RoleAdmin)})
			return err
		}},
		{"ResetPassword", func(a evaluation.Actor) error {
			return e.svc.Accounts.ResetPassword(ctx, a, target.ID, "a-new-password-1")
		}},
		{"Users", func(a evaluation.Actor) error {
			_, _, err := e.svc.Accounts.Users(ctx, a, evaluation.UserFilter{})
			return err
		}},
		{"CreateAgency", func(a evaluation.Actor) error {
			_, err := e.svc.Accounts.CreateAgency(ctx, a, evaluation.NewAgency{Code: "NEW", NameZH: "x", NameEN: "x"})
			return err
		}},
		{"UpdateAgency", func(a evaluation.Actor) error {
			_, err := e.svc.Accounts.UpdateAgency(ctx, a, e.agency.ID, evaluation.AgencyUpdate{Disabled: ptr(true)})
			return err
		}},
	}
	actors := []*evaluation.User{comm, staff, expert}
	for _, c := range calls {
		for _, u := range actors {
			t.Run(c.name+" by "+string(u.Role), func(t *testing.T) {
				entries := e.auditCount(t)
				wantCode(t, c.call(u.Actor()), evaluation.Forbidden)
				if n := e.auditCount(t); n != entries {
					t.Errorf("%d audit entries after the refusal, want %d", n, entries)
				}
			})
		}
	}
	got, err := e.db.User(ctx, target.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Role != evaluation.RoleCommission {
		t.Errorf("target's role = %s after the refusals, want commission", got.Role)
	}
	if _, err := e.db.UserByUsername(ctx, "sneaky"); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("refused user was created (lookup error %v)", err)
	}
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	old := e.newAgency(t, "OLD")
	e.staff(t, "li.wei", "SSTPC")
	e.staff(t, "old.staff", "OLD")
	e.disableAgency(t, old)
	gone := e.user(t, evaluation.NewUser{Username: "gone", Role: evaluation.RoleCommission})
	if _, err := e.svc.Accounts.UpdateUser(ctx, e.admin, gone.ID, evaluation.UserUpdate{Disabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	meta := evaluation.LoginMeta{IP: "203.0.113.7", Channel: "web"}

	t.Run("right password", func(t *testing.T) {
		e.clock.advance(time.Hour)
		entries := e.auditCount(t)
		u, err := e.svc.Accounts.Login(ctx, "Li.Wei", pw, meta)
		if err != nil {
			t.Fatal(err)
		}
		if u.Username != "li.wei" || u.AgencyCode != "SSTPC" || !u.LastLoginAt.Equal(e.clock.now()) {
			t.Errorf("Login = %s of %s, last login %v; want li.wei of SSTPC at %v", u.Username, u.AgencyCode, u.LastLoginAt, e.clock.now())
		}
		stored, err := e.db.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !stored.LastLoginAt.Equal(e.clock.now()) {
			t.Errorf("stored last login = %v, want %v", stored.LastLoginAt, e.clock.now())
		}
		if n := e.auditCount(t); n != entries+1 {
			t.Errorf("%d new audit entries, want 1", n-entries)
		}
		a := e.lastAudit(t)
		if a.Action != "user.login" || a.ActorID != u.ID || a.Actor != "li.wei" || a.AgencyID != e.agency.ID {
			t.Errorf("audit entry = %+v, want user.login by li.wei in SSTPC", a)
		}
		if diff := cmp.Diff(map[string]any{"ip": "203.0.113.7", "channel": "web"}, details(t, a)); diff != "" {
			t.Errorf("audit details (-want +got):\n%s", diff)
		}
	})

	tests := []struct {
		name, username, password string
	}{
		{"wrong password", "li.wei", "wrong-password-1"},
		{"password in another case", "li.wei", strings.ToUpper(pw)},
		{"empty password", "li.wei", ""},
		{"unknown user", "nobody", pw},
		{"empty username", "", pw},
		{"disabled user", "gone", pw},
		{"user of a disabled agency", "old.staff", pw},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries := e.auditCount(t)
			u, err := e.svc.Accounts.Login(ctx, tt.username, tt.password, meta)
			wantCode(t, err, evaluation.Unauthenticated)
			if !errors.Is(err, evaluation.ErrBadLogin) {
				t.Errorf("error = %v, want ErrBadLogin (one answer for every failure)", err)
			}
			if u != nil {
				t.Errorf("got user %s with the error", u.Username)
			}
			if n := e.auditCount(t); n != entries {
				t.Errorf("%d audit entries written by a failed login, want none", n-entries)
			}
		})
	}
}

func TestUpdateUser(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	e.newAgency(t, "OTHER")

	t.Run("cannot demote or disable yourself", func(t *testing.T) {
		tests := []struct {
			name      string
			up        evaluation.UserUpdate
			wantField string
			wantMsg   string
		}{
			{"demote", evaluation.UserUpdate{Role: ptr(evaluation.RoleCommission)}, "role", "error.cannot_demote_self"},
			{"disable", evaluation.UserUpdate{Disabled: ptr(true)}, "disabled", "error.cannot_disable_self"},
			{"demote with a rename", evaluation.UserUpdate{Name: ptr("x"), Role: ptr(evaluation.RoleExpert)}, "role", "error.cannot_demote_self"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				entries := e.auditCount(t)
				_, err := e.svc.Accounts.UpdateUser(ctx, e.admin, e.admin.UserID, tt.up)
				got := wantCode(t, err, evaluation.Invalid)
				if diff := cmp.Diff(map[string]string{tt.wantField: tt.wantMsg}, got.Fields); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
				u, err := e.db.User(ctx, e.admin.UserID)
				if err != nil {
					t.Fatal(err)
				}
				if u.Role != evaluation.RoleAdmin || u.Disabled || u.Name != "管理员" {
					t.Errorf("admin is now %s, disabled %v, named %q; want unchanged", u.Role, u.Disabled, u.Name)
				}
				if n := e.auditCount(t); n != entries {
					t.Errorf("%d audit entries written by a refused update", n-entries)
				}
			})
		}
	})

	t.Run("disable and enable", func(t *testing.T) {
		u := e.staff(t, "li.wei", "SSTPC")
		if _, err := e.svc.Accounts.SessionUser(ctx, u.ID); err != nil {
			t.Fatalf("SessionUser before disabling: %v", err)
		}
		got, err := e.svc.Accounts.UpdateUser(ctx, e.admin, u.ID, evaluation.UserUpdate{Disabled: ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		if !got.Disabled {
			t.Error("returned user is not disabled")
		}
		if a := e.lastAudit(t); a.Action != "user.disable" || a.ObjectID != idString(u.ID) {
			t.Errorf("audit entry = %s %s, want user.disable %d", a.Action, a.ObjectID, u.ID)
		}
		_, err = e.svc.Accounts.SessionUser(ctx, u.ID)
		wantCode(t, err, evaluation.Unauthenticated)
		_, err = e.svc.Accounts.Login(ctx, "li.wei", pw, evaluation.LoginMeta{})
		wantCode(t, err, evaluation.Unauthenticated)

		if _, err := e.svc.Accounts.UpdateUser(ctx, e.admin, u.ID, evaluation.UserUpdate{Disabled: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		if a := e.lastAudit(t); a.Action != "user.enable" {
			t.Errorf("audit action = %s, want user.enable", a.Action)
		}
		if got, err := e.svc.Accounts.SessionUser(ctx, u.ID); err != nil || got.ID != u.ID || got.Disabled {
			t.Errorf("SessionUser after enabling = %+v, %v; want li.wei, enabled", got, err)
		}
	})

	t.Run("e-mail", func(t *testing.T) {
		u := e.staff(t, "mail.box", "SSTPC")
		got, err := e.svc.Accounts.UpdateUser(ctx, e.admin, u.ID, evaluation.UserUpdate{Email: ptr(" office@sstpc.cn ")})
		if err != nil || got.Email != "office@sstpc.cn" {
			t.Fatalf("set the address: %+v, %v", got, err)
		}
		if a := e.lastAudit(t); a.Action != "user.update" || details(t, a)["email"] != "office@sstpc.cn" {
			t.Errorf("audit entry %+v", a)
		}
		_, err = e.svc.Accounts.UpdateUser(ctx, e.admin, u.ID, evaluation.UserUpdate{Email: ptr("office@")})
		if ge := wantCode(t, err, evaluation.Invalid); ge.Fields["email"] != "error.email_format" {
			t.Errorf("fields = %v", ge.Fields)
		}
		if _, err := e.svc.Accounts.UpdateUser(ctx, e.admin, u.ID, evaluation.UserUpdate{Email: ptr("")}); err != nil {
			t.Fatal(err)
		}
		if stored, err := e.db.User(ctx, u.ID); err != nil || stored.Email != "" {
			t.Errorf("after removing the address: %+v, %v", stored, err)
		}
	})

	t.Run("session of a user whose agency is disabled", func(t *testing.T) {
		ag := e.newAgency(t, "SOON")
		u := e.staff(t, "soon.gone", "SOON")
		e.disableAgency(t, ag)
		_, err := e.svc.Accounts.SessionUser(ctx, u.ID)
		wantCode(t, err, evaluation.Unauthenticated)
	})

	t.Run("session of an unknown user", func(t *testing.T) {
		_, err := e.svc.Accounts.SessionUser(ctx, 999)
		wantCode(t, err, evaluation.Unauthenticated)
	})

	t.Run("role and agency", func(t *testing.T) {
		u := e.staff(t, "mover", "SSTPC")
		tests := []struct {
			name       string
			up         evaluation.UserUpdate
			wantRole   evaluation.Role
			wantAgency string
			wantField  string // refused when set
		}{
			{"move to another agency", evaluation.UserUpdate{AgencyCode: ptr("OTHER")}, evaluation.RoleAgencyStaff, "OTHER", ""},
			{"unknown agency", evaluation.UserUpdate{AgencyCode: ptr("NOPE")}, "", "", "agency"},
			{"staff without agency", evaluation.UserUpdate{AgencyCode: ptr("")}, "", "", "agency"},
			{"commission with agency", evaluation.UserUpdate{Role: ptr(evaluation.RoleCommission), AgencyCode: ptr("SSTPC")}, "", "", "agency"},
			{"leaving the staff role leaves the agency", evaluation.UserUpdate{Role: ptr(evaluation.RoleCommission)}, evaluation.RoleCommission, "", ""},
			{"staff again needs an agency", evaluation.UserUpdate{Role: ptr(evaluation.RoleAgencyStaff)}, "", "", "agency"},
			{"staff again with an agency", evaluation.UserUpdate{Role: ptr(evaluation.RoleAgencyStaff), AgencyCode: ptr("SSTPC")}, evaluation.RoleAgencyStaff, "SSTPC", ""},
			{"unknown role", evaluation.UserUpdate{Role: ptr(evaluation.Role("root"))}, "", "", "role"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before, err := e.db.User(ctx, u.ID)
				if err != nil {
					t.Fatal(err)
				}
				got, err := e.svc.Accounts.UpdateUser(ctx, e.admin, u.ID, tt.up)
				stored, serr := e.db.User(ctx, u.ID)
				if serr != nil {
					t.Fatal(serr)
				}
				if tt.wantField != "" {
					if ge := wantCode(t, err, evaluation.Invalid); ge.Fields[tt.wantField] == "" {
						t.Errorf("fields = %v, want a message for %s", ge.Fields, tt.wantField)
					}
					if diff := cmp.Diff(before, stored); diff != "" {
						t.Errorf("refused update changed the user (-before +after):\n%s", diff)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range []*evaluation.User{got, stored} {
					if x.Role != tt.wantRole || x.AgencyCode != tt.wantAgency {
						t.Errorf("user is %s of %q, want %s of %q", x.Role, x.AgencyCode, tt.wantRole, tt.wantAgency)
					}
				}
			})
		}
	})
}

func TestPasswordHashes(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	u := e.staff(t, "li.wei", "SSTPC")
	storedHash := func() string {
		t.Helper()
		var h string
		if err := e.db.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	first := storedHash()
	if !strings.HasPrefix(first, "$argon2id$") || strings.Contains(first, pw) {
		t.Fatalf("stored hash = %q, want an argon2id PHC string without the password", first)
	}
	other := e.user(t, evaluation.NewUser{Username: "same.password", Role: evaluation.RoleCommission})
	if other.PasswordHash == first {
		t.Error("two accounts with one password have the same hash: no salt")
	}

	const newPW = "a-brand-new-secret"
	if err := e.svc.Accounts.ResetPassword(ctx, e.admin, u.ID, newPW); err != nil {
		t.Fatal(err)
	}
	if a := e.lastAudit(t); a.Action != "user.password_reset" || a.ObjectID != idString(u.ID) {
		t.Errorf("audit entry = %s %s, want user.password_reset %d", a.Action, a.ObjectID, u.ID)
	}
	second := storedHash()
	if second == first || !strings.HasPrefix(second, "$argon2id$") {
		t.Errorf("hash after reset = %q, want a new argon2id hash", second)
	}
	if _, err := e.svc.Accounts.Login(ctx, "li.wei", pw, evaluation.LoginMeta{}); evaluation.ErrorCode(err) != evaluation.Unauthenticated {
		t.Errorf("old password after reset: %v, want unauthenticated", err)
	}
	if got, err := e.svc.Accounts.Login(ctx, "li.wei", newPW, evaluation.LoginMeta{}); err != nil || got.ID != u.ID {
		t.Errorf("new password after reset = %+v, %v; want li.wei", got, err)
	}

	t.Run("change needs the current password", func(t *testing.T) {
		err := e.svc.Accounts.ChangePassword(ctx, u.Actor(), "not-the-password", "another-secret-1")
		if ge := wantCode(t, err, evaluation.Invalid); ge.Fields["current_password"] != "error.current_password_wrong" {
			t.Errorf("fields = %v, want current_password", ge.Fields)
		}
		err = e.svc.Accounts.ChangePassword(ctx, u.Actor(), newPW, "short")
		if ge := wantCode(t, err, evaluation.Invalid); ge.Fields["password"] != "error.password_too_short" {
			t.Errorf("fields = %v, want password too short", ge.Fields)
		}
		if storedHash() != second {
			t.Error("refused change altered the hash")
		}
		if err := e.svc.Accounts.ChangePassword(ctx, u.Actor(), newPW, "another-secret-1"); err != nil {
			t.Fatal(err)
		}
		if got, err := e.svc.Accounts.Authenticate(ctx, "li.wei", "another-secret-1"); err != nil || got.ID != u.ID {
			t.Errorf("changed password does not work: %+v, %v", got, err)
		}
	})
}

// TestTenant: staff see their own agency only; another agency is not found.
func TestTenant(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	b := e.newAgency(t, "BBB")
	staffA := e.staff(t, "li.wei", "SSTPC").Actor()
	staffB := e.staff(t, "huang", "BBB").Actor()
	ex := e.expert(t, "王教授")
	expert := e.user(t, evaluation.NewUser{Username: "expert01", Role: evaluation.RoleExpert, ExpertID: ex.ID}).Actor()
	comm := e.user(t, evaluation.NewUser{Username: "comm", Role: evaluation.RoleCommission}).Actor()

	tests := []struct {
		name     string
		actor    evaluation.Actor
		agencyID int64
		want     evaluation.Code // "" for found
	}{
		{"staff of A asks for A", staffA, e.agency.ID, ""},
		{"staff of A asks for B", staffA, b.ID, evaluation.NotFound},
		{"staff of B asks for A", staffB, e.agency.ID, evaluation.NotFound},
		{"staff asks for a missing agency", staffA, 999, evaluation.NotFound},
		{"expert asks for A", expert, e.agency.ID, evaluation.NotFound},
		{"commission asks for B", comm, b.ID, ""},
		{"admin asks for B", e.admin, b.ID, ""},
		{"admin asks for a missing agency", e.admin, 999, evaluation.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := e.svc.Accounts.Agency(ctx, tt.actor, tt.agencyID)
			if got := evaluation.ErrorCode(err); got != tt.want {
				t.Fatalf("Agency error = %v, want code %q", err, tt.want)
			}
			switch {
			case tt.want == "" && (a == nil || a.ID != tt.agencyID):
				t.Errorf("Agency = %+v, want agency %d", a, tt.agencyID)
			case tt.want != "" && a != nil:
				t.Errorf("Agency = %+v with the error, want nil", a)
			}
		})
	}

	t.Run("lists", func(t *testing.T) {
		tests := []struct {
			name  string
			actor evaluation.Actor
			want  []string
		}{
			{"staff of A", staffA, []string{"SSTPC"}},
			{"staff of B", staffB, []string{"BBB"}},
			{"commission", comm, []string{"BBB", "SSTPC"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				list, err := e.svc.Accounts.Agencies(ctx, tt.actor)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, a := range list {
					got = append(got, a.Code)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("codes (-want +got):\n%s", diff)
				}
			})
		}
		_, err := e.svc.Accounts.Agencies(ctx, expert)
		wantCode(t, err, evaluation.Forbidden)
	})

	t.Run("other users are not found", func(t *testing.T) {
		_, err := e.svc.Accounts.User(ctx, staffA, staffB.UserID)
		wantCode(t, err, evaluation.NotFound)
		u, err := e.svc.Accounts.User(ctx, staffA, staffA.UserID)
		if err != nil || u.ID != staffA.UserID {
			t.Errorf("User(self) = %v, %v, want the user", u, err)
		}
	})

	t.Run("audit log of the own agency only", func(t *testing.T) {
		list, total, err := e.svc.Accounts.AuditLog(ctx, staffB, evaluation.AuditFilter{AgencyID: e.agency.ID})
		if err != nil {
			t.Fatal(err)
		}
		if total == 0 {
			t.Fatal("no audit entries for agency B")
		}
		for _, a := range list {
			if a.AgencyID != b.ID {
				t.Errorf("staff of B sees entry %d of agency %d", a.ID, a.AgencyID)
			}
		}
	})
}

// TestPasswordProblemGuessable: passwords of allowed length that are
// control characters, common, one character or a short unit repeated, or
// a run of consecutive characters are refused; ordinary passphrases pass.
func TestPasswordProblemGuessable(t *testing.T) {
	for pw, want := range map[string]string{
		strings.Repeat("a", 10):    "error.password_common",
		strings.Repeat("\x00", 10): "error.password_control",
		"correct\x00horse":         "error.password_control",
		"tab\tinside pass":         "error.password_control",
		"abcabcabcabc":             "error.password_common",
		"1212121212":               "error.password_common",
		"abcdefghijk":              "error.password_common",
		"9876543210":               "error.password_common",
		"1234567890":               "error.password_common",
		"Password123":              "error.password_common",
		"QWERTYUIOP":               "error.password_common",
		"1qaz2wsx3edc":             "error.password_common",
		"correct horse battery":    "",
		"kite-lantern-odd-47":      "",
		"评审专家的密码足够长了":              "",
	} {
		if got, _ := evaluation.PasswordProblem(pw); got != want {
			t.Errorf("PasswordProblem(%q) = %q, want %q", pw, got, want)
		}
	}
}

// TestNamesRefuseHiddenCharacters: control characters, bidi overrides and
// zero-width characters are refused in one-line names: campaign names and
// project titles here, users, agencies and experts in web's tests.
func TestNamesRefuseHiddenCharacters(t *testing.T) {
	for _, bad := range []string{"evil\u202Egpj.exe", "zero\u200Bwidth", "new\nline", "nul\x00byte", "bom\uFEFF", "joiner\u200D"} {
		c := &evaluation.Campaign{Name: bad, Year: 2025}
		if e := evaluation.ErrorAs(c.Validate()); e == nil || e.Fields["name"] != "error.name_characters" {
			t.Errorf("campaign name %q: error %v, want error.name_characters on name", bad, e)
		}
		p := &evaluation.Project{Code: "P-1", Title: bad}
		if e := evaluation.ErrorAs(p.Validate()); e == nil || e.Fields["title"] != "error.name_characters" {
			t.Errorf("project title %q: error %v, want error.name_characters on title", bad, e)
		}
	}
	c := &evaluation.Campaign{Name: "2025年度科技计划项目绩效评价 (batch 1)", Year: 2025}
	if e := evaluation.ErrorAs(c.Validate()); e != nil && e.Fields["name"] != "" {
		t.Errorf("ordinary campaign name refused: %v", e.Fields["name"])
	}
}
