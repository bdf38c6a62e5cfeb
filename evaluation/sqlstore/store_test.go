package sqlstore_test

import (
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDSNSettings(t *testing.T) {
	sqliteOnly(t, "the DSN's pragmas")
	db := openDB(t)
	// Every pooled connection must carry the settings: hold several at once
	// so that they are distinct connections.
	tests := []struct {
		pragma string
		want   string
	}{
		{"foreign_keys", "1"},
		{"journal_mode", "wal"},
		{"busy_timeout", "10000"},
		{"synchronous", "2"}, // FULL
	}
	for _, tt := range tests {
		t.Run(tt.pragma, func(t *testing.T) {
			for i := range 3 {
				c, err := db.SQL().Conn(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				var got string
				if err := c.QueryRowContext(t.Context(), "PRAGMA "+tt.pragma).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != tt.want {
					t.Errorf("connection %d: PRAGMA %s = %q, want %q", i, tt.pragma, got, tt.want)
				}
			}
		})
	}
}

func TestOpenRefusesBadPath(t *testing.T) {
	for _, path := range []string{"", "x.db?mode=memory", "x.db#frag"} {
		t.Run(path, func(t *testing.T) {
			db, err := sqlstore.Open(t.Context(), path)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) = nil error, want one", path)
			}
		})
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	db := openDB(t)
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	v, err := db.Version(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := latestMigration(t, "migrations"); v != want {
		t.Errorf("Version = %d, want %d, the newest migration", v, want)
	}
}

func TestAgencies(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	b := addAgency(t, db, "SSTPC")
	a := addAgency(t, db, "AAA")
	if a.ID == 0 || b.ID == 0 || a.ID == b.ID {
		t.Fatalf("ids = %d, %d, want two distinct non-zero ids", a.ID, b.ID)
	}

	t.Run("by id and code", func(t *testing.T) {
		got, err := db.Agency(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(b, got); diff != "" {
			t.Errorf("Agency(%d) mismatch (-want +got):\n%s", b.ID, diff)
		}
		got, err = db.AgencyByCode(ctx, "SSTPC")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(b, got); diff != "" {
			t.Errorf("AgencyByCode mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("update", func(t *testing.T) {
		want := *b
		want.NameZH, want.NameEN, want.Disabled, want.UpdatedAt = "新名称", "New name", true, t0.Add(time.Hour)
		inTx(t, db, func(tx evaluation.Tx) error { return tx.UpdateAgency(ctx, &want) })
		got, err := db.Agency(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("after update (-want +got):\n%s", diff)
		}
	})

	t.Run("list sorted by code", func(t *testing.T) {
		list, err := db.Agencies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range list {
			got = append(got, a.Code)
		}
		if diff := cmp.Diff([]string{"AAA", "SSTPC"}, got); diff != "" {
			t.Errorf("codes (-want +got):\n%s", diff)
		}
	})

	t.Run("duplicate code", func(t *testing.T) {
		err := db.InTx(ctx, func(tx evaluation.Tx) error {
			return tx.CreateAgency(ctx, &evaluation.Agency{Code: "SSTPC", NameZH: "x", NameEN: "x", CreatedAt: t0, UpdatedAt: t0})
		})
		e := wantError(t, err, evaluation.Conflict)
		if diff := cmp.Diff(map[string]string{"code": "error.already_exists"}, e.Fields); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
		list, err := db.Agencies(ctx)
		if err != nil || len(list) != 2 {
			t.Errorf("%d agencies after the conflict (%v), want 2", len(list), err)
		}
	})

	t.Run("not found", func(t *testing.T) {
		tests := []struct {
			name string
			call func() (*evaluation.Agency, error)
		}{
			{"Agency", func() (*evaluation.Agency, error) { return db.Agency(ctx, 999) }},
			{"AgencyByCode", func() (*evaluation.Agency, error) { return db.AgencyByCode(ctx, "NOPE") }},
			{"UpdateAgency", func() (*evaluation.Agency, error) {
				return nil, db.InTx(ctx, func(tx evaluation.Tx) error {
					return tx.UpdateAgency(ctx, &evaluation.Agency{ID: 999, NameZH: "x", NameEN: "x", UpdatedAt: t0})
				})
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := tt.call()
				wantError(t, err, evaluation.NotFound)
				if got != nil {
					t.Errorf("got %+v with the error, want nil", got)
				}
			})
		}
	})
}

func TestUsers(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	ag := addAgency(t, db, "SSTPC")
	ex := addExpert(t, db, &evaluation.Expert{Name: "王教授", Type: evaluation.DomainExpert, CanBeDrawn: true})
	admin := addUser(t, db, &evaluation.User{Username: "admin", Name: "管理员", Role: evaluation.RoleAdmin, Language: evaluation.LangEN})
	staff := addUser(t, db, &evaluation.User{Username: "li.wei", Name: "李伟", Role: evaluation.RoleAgencyStaff, AgencyID: ag.ID})
	expert := addUser(t, db, &evaluation.User{Username: "expert01", Role: evaluation.RoleExpert, ExpertID: ex.ID})

	t.Run("round trip", func(t *testing.T) {
		wantStaff := *staff
		wantStaff.AgencyCode = "SSTPC" // joined from agencies
		tests := []struct {
			name string
			call func() (*evaluation.User, error)
			want *evaluation.User
		}{
			{"User admin", func() (*evaluation.User, error) { return db.User(ctx, admin.ID) }, admin},
			{"User staff", func() (*evaluation.User, error) { return db.User(ctx, staff.ID) }, &wantStaff},
			{"UserByUsername", func() (*evaluation.User, error) { return db.UserByUsername(ctx, "li.wei") }, &wantStaff},
			{"UserByExpert", func() (*evaluation.User, error) { return db.UserByExpert(ctx, ex.ID) }, expert},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := tt.call()
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})

	t.Run("update", func(t *testing.T) {
		want, err := db.User(ctx, staff.ID)
		if err != nil {
			t.Fatal(err)
		}
		want.Name, want.Language, want.Disabled, want.UpdatedAt = "李伟伟", evaluation.LangEN, true, t0.Add(time.Minute)
		inTx(t, db, func(tx evaluation.Tx) error { return tx.UpdateUser(ctx, want) })
		inTx(t, db, func(tx evaluation.Tx) error {
			return tx.SetPasswordHash(ctx, staff.ID, "$argon2id$new", t0.Add(2*time.Minute))
		})
		inTx(t, db, func(tx evaluation.Tx) error { return tx.SetLastLogin(ctx, staff.ID, t0.Add(3*time.Minute)) })
		want.PasswordHash, want.UpdatedAt, want.LastLoginAt = "$argon2id$new", t0.Add(2*time.Minute), t0.Add(3*time.Minute)
		got, err := db.User(ctx, staff.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("after update (-want +got):\n%s", diff)
		}
	})

	t.Run("disabled agency shows on its staff", func(t *testing.T) {
		a := *ag
		a.Disabled = true
		inTx(t, db, func(tx evaluation.Tx) error { return tx.UpdateAgency(ctx, &a) })
		got, err := db.User(ctx, staff.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.AgencyDisabled || got.CanSignIn() {
			t.Errorf("AgencyDisabled = %v, CanSignIn = %v, want true, false", got.AgencyDisabled, got.CanSignIn())
		}
		other, err := db.User(ctx, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if other.AgencyDisabled {
			t.Errorf("admin without agency has AgencyDisabled = true")
		}
	})

	t.Run("duplicate username", func(t *testing.T) {
		err := db.InTx(ctx, func(tx evaluation.Tx) error {
			return tx.CreateUser(ctx, &evaluation.User{Username: "admin", Name: "x", Role: evaluation.RoleCommission,
				Language: evaluation.LangZH, PasswordHash: "h", CreatedAt: t0, UpdatedAt: t0})
		})
		e := wantError(t, err, evaluation.Conflict)
		if diff := cmp.Diff(map[string]string{"username": "error.already_exists"}, e.Fields); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
	})

	t.Run("not found", func(t *testing.T) {
		tests := []struct {
			name string
			call func() (*evaluation.User, error)
		}{
			{"User", func() (*evaluation.User, error) { return db.User(ctx, 999) }},
			{"UserByUsername", func() (*evaluation.User, error) { return db.UserByUsername(ctx, "nobody") }},
			{"UserByExpert", func() (*evaluation.User, error) { return db.UserByExpert(ctx, 999) }},
			{"UpdateUser", func() (*evaluation.User, error) {
				return nil, db.InTx(ctx, func(tx evaluation.Tx) error {
					return tx.UpdateUser(ctx, &evaluation.User{ID: 999, Name: "x", Role: evaluation.RoleAdmin,
						Language: evaluation.LangZH, UpdatedAt: t0})
				})
			}},
			{"SetPasswordHash", func() (*evaluation.User, error) {
				return nil, db.InTx(ctx, func(tx evaluation.Tx) error { return tx.SetPasswordHash(ctx, 999, "h", t0) })
			}},
			{"SetLastLogin", func() (*evaluation.User, error) {
				return nil, db.InTx(ctx, func(tx evaluation.Tx) error { return tx.SetLastLogin(ctx, 999, t0) })
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := tt.call()
				wantError(t, err, evaluation.NotFound)
				if got != nil {
					t.Errorf("got %+v with the error, want nil", got)
				}
			})
		}
	})
}

// TestUserConstraints shows that the schema itself refuses inconsistent
// accounts, whatever the service above it checks.
func TestUserConstraints(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	ag := addAgency(t, db, "SSTPC")
	ex := addExpert(t, db, &evaluation.Expert{Name: "王教授", Type: evaluation.DomainExpert, CanBeDrawn: true})
	tests := []struct {
		name     string
		user     evaluation.User
		wantCode evaluation.Code
		wantMsg  string
	}{
		{"agency staff without agency", evaluation.User{Role: evaluation.RoleAgencyStaff},
			evaluation.Invalid, "error.invalid_input"},
		{"admin with agency", evaluation.User{Role: evaluation.RoleAdmin, AgencyID: ag.ID},
			evaluation.Invalid, "error.invalid_input"},
		{"commission with expert", evaluation.User{Role: evaluation.RoleCommission, ExpertID: ex.ID},
			evaluation.Invalid, "error.invalid_input"},
		{"unknown role", evaluation.User{Role: "root"}, evaluation.Invalid, "error.invalid_input"},
		{"unknown language", evaluation.User{Role: evaluation.RoleAdmin, Language: "fr"},
			evaluation.Invalid, "error.invalid_input"},
		{"unknown agency", evaluation.User{Role: evaluation.RoleAgencyStaff, AgencyID: 999},
			evaluation.Invalid, "error.reference_missing"},
		{"unknown expert", evaluation.User{Role: evaluation.RoleExpert, ExpertID: 999},
			evaluation.Invalid, "error.reference_missing"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.user
			u.Username = "user" + string(rune('a'+i))
			u.Name, u.PasswordHash, u.CreatedAt, u.UpdatedAt = "x", "h", t0, t0
			if u.Language == "" {
				u.Language = evaluation.LangZH
			}
			err := db.InTx(ctx, func(tx evaluation.Tx) error { return tx.CreateUser(ctx, &u) })
			e := wantError(t, err, tt.wantCode)
			if e.Message != tt.wantMsg {
				t.Errorf("message = %q, want %q", e.Message, tt.wantMsg)
			}
			if _, err := db.UserByUsername(ctx, u.Username); evaluation.ErrorCode(err) != evaluation.NotFound {
				t.Errorf("the refused user was stored (lookup error %v)", err)
			}
		})
	}
}

func TestUsersFilter(t *testing.T) {
	db := openDB(t)
	a := addAgency(t, db, "AAA")
	b := addAgency(t, db, "BBB")
	seed := []evaluation.User{
		{Username: "admin", Name: "Zhao Admin", Role: evaluation.RoleAdmin},
		{Username: "comm", Name: "Qian Commission", Role: evaluation.RoleCommission},
		{Username: "alice", Name: "Alice Wang", Role: evaluation.RoleAgencyStaff, AgencyID: a.ID},
		{Username: "bob", Name: "Bob Li", Role: evaluation.RoleAgencyStaff, AgencyID: a.ID, Disabled: true},
		{Username: "carol", Name: "Carol_Chen", Role: evaluation.RoleAgencyStaff, AgencyID: b.ID},
		{Username: "dave", Name: "Dave Expert", Role: evaluation.RoleExpert},
	}
	for i, u := range seed {
		u.CreatedAt = t0.Add(time.Duration(i) * time.Hour)
		u.UpdatedAt = u.CreatedAt
		addUser(t, db, &u)
	}
	yes, no := true, false
	tests := []struct {
		name      string
		filter    evaluation.UserFilter
		want      []string
		wantTotal int
	}{
		{"all, by username", evaluation.UserFilter{}, []string{"admin", "alice", "bob", "carol", "comm", "dave"}, 6},
		{"query matches username or name", evaluation.UserFilter{Query: "li"}, []string{"alice", "bob"}, 2},
		{"query ignores case", evaluation.UserFilter{Query: "ALICE"}, []string{"alice"}, 1},
		{"underscore is literal", evaluation.UserFilter{Query: "_"}, []string{"carol"}, 1},
		{"percent is literal", evaluation.UserFilter{Query: "%"}, nil, 0},
		{"role", evaluation.UserFilter{Role: evaluation.RoleAgencyStaff}, []string{"alice", "bob", "carol"}, 3},
		{"agency", evaluation.UserFilter{AgencyID: a.ID}, []string{"alice", "bob"}, 2},
		{"disabled", evaluation.UserFilter{Disabled: &yes}, []string{"bob"}, 1},
		{"enabled", evaluation.UserFilter{Disabled: &no}, []string{"admin", "alice", "carol", "comm", "dave"}, 5},
		{"role and enabled", evaluation.UserFilter{Role: evaluation.RoleAgencyStaff, Disabled: &no}, []string{"alice", "carol"}, 2},
		{"sort name", evaluation.UserFilter{Sort: "name"}, []string{"alice", "bob", "carol", "dave", "comm", "admin"}, 6},
		{"sort -name", evaluation.UserFilter{Sort: "-name"}, []string{"admin", "comm", "dave", "carol", "bob", "alice"}, 6},
		{"sort created", evaluation.UserFilter{Sort: "created"}, []string{"admin", "comm", "alice", "bob", "carol", "dave"}, 6},
		{"sort -created", evaluation.UserFilter{Sort: "-created"}, []string{"dave", "carol", "bob", "alice", "comm", "admin"}, 6},
		{"sort role, ties by id", evaluation.UserFilter{Sort: "role"}, []string{"admin", "alice", "bob", "carol", "comm", "dave"}, 6},
		{"sort -role, ties by id descending", evaluation.UserFilter{Sort: "-role"}, []string{"dave", "comm", "carol", "bob", "alice", "admin"}, 6},
		{"unknown sort falls back to username", evaluation.UserFilter{Sort: "password_hash"}, []string{"admin", "alice", "bob", "carol", "comm", "dave"}, 6},
		{"sort is not SQL", evaluation.UserFilter{Sort: "-id; DROP TABLE users"}, []string{"admin", "alice", "bob", "carol", "comm", "dave"}, 6},
		{"page 2 of 2", evaluation.UserFilter{Page: page(2, 2)}, []string{"bob", "carol"}, 6},
		{"last page", evaluation.UserFilter{Page: page(2, 4)}, []string{"comm", "dave"}, 6},
		{"past the end", evaluation.UserFilter{Page: page(4, 2)}, nil, 6},
		{"filter and page", evaluation.UserFilter{Role: evaluation.RoleAgencyStaff, Sort: "-name", Page: page(2, 2)}, []string{"alice"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.filter
			if f.Page == (evaluation.Page{}) {
				f.Page = page(1, 20)
			}
			users, total, err := db.Users(t.Context(), f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range users {
				got = append(got, u.Username)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("usernames (-want +got):\n%s", diff)
			}
			if total != tt.wantTotal {
				t.Errorf("total = %d, want %d", total, tt.wantTotal)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	u := addUser(t, db, &evaluation.User{Username: "alice", Role: evaluation.RoleAdmin})
	other := addUser(t, db, &evaluation.User{Username: "bob", Role: evaluation.RoleAdmin})
	tok := &evaluation.APIToken{UserID: u.ID, Name: "laptop", Prefix: "ep_abcdef", CreatedAt: t0, ExpiresAt: t0.Add(evaluation.TokenLifetime)}
	inTx(t, db, func(tx evaluation.Tx) error { return tx.CreateToken(ctx, tok, "hash-1") })
	tok2 := &evaluation.APIToken{UserID: u.ID, Name: "ci", Prefix: "ep_ghijkl", CreatedAt: t0.Add(time.Second), ExpiresAt: t0.Add(time.Hour)}
	inTx(t, db, func(tx evaluation.Tx) error { return tx.CreateToken(ctx, tok2, "hash-2") })

	t.Run("lookup", func(t *testing.T) {
		got, err := db.TokenByHash(ctx, "hash-1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tok, got); diff != "" {
			t.Errorf("TokenByHash (-want +got):\n%s", diff)
		}
		got, err = db.Token(ctx, tok2.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tok2, got); diff != "" {
			t.Errorf("Token (-want +got):\n%s", diff)
		}
	})

	t.Run("list newest first, own only", func(t *testing.T) {
		list, err := db.Tokens(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]*evaluation.APIToken{tok2, tok}, list); diff != "" {
			t.Errorf("Tokens (-want +got):\n%s", diff)
		}
		list, err = db.Tokens(ctx, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 0 {
			t.Errorf("Tokens of another user = %d tokens, want none", len(list))
		}
	})

	t.Run("touch and revoke", func(t *testing.T) {
		used, revoked := t0.Add(time.Minute), t0.Add(2*time.Minute)
		inTx(t, db, func(tx evaluation.Tx) error { return tx.TouchToken(ctx, tok.ID, used) })
		inTx(t, db, func(tx evaluation.Tx) error { return tx.RevokeToken(ctx, tok.ID, revoked) })
		got, err := db.TokenByHash(ctx, "hash-1")
		if err != nil {
			t.Fatal(err)
		}
		want := *tok
		want.LastUsedAt, want.RevokedAt = used, revoked
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("after touch and revoke (-want +got):\n%s", diff)
		}
		if got.Active(t0.Add(3 * time.Minute)) {
			t.Error("revoked token is Active")
		}
		// A second revocation does not move the first one's time.
		err = db.InTx(ctx, func(tx evaluation.Tx) error { return tx.RevokeToken(ctx, tok.ID, t0.Add(time.Hour)) })
		wantError(t, err, evaluation.NotFound)
		got, err = db.Token(ctx, tok.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.RevokedAt.Equal(revoked) {
			t.Errorf("RevokedAt = %v after a second revocation, want %v", got.RevokedAt, revoked)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		tests := []struct {
			name string
			call func() error
			want evaluation.Code
		}{
			{"unknown hash", func() error { _, err := db.TokenByHash(ctx, "nope"); return err }, evaluation.NotFound},
			{"unknown id", func() error { _, err := db.Token(ctx, 999); return err }, evaluation.NotFound},
			{"touch unknown", func() error {
				return db.InTx(ctx, func(tx evaluation.Tx) error { return tx.TouchToken(ctx, 999, t0) })
			}, evaluation.NotFound},
			{"revoke unknown", func() error {
				return db.InTx(ctx, func(tx evaluation.Tx) error { return tx.RevokeToken(ctx, 999, t0) })
			}, evaluation.NotFound},
			{"duplicate hash", func() error {
				return db.InTx(ctx, func(tx evaluation.Tx) error {
					return tx.CreateToken(ctx, &evaluation.APIToken{UserID: u.ID, Name: "x", Prefix: "p", CreatedAt: t0, ExpiresAt: t0}, "hash-1")
				})
			}, evaluation.Conflict},
			{"unknown user", func() error {
				return db.InTx(ctx, func(tx evaluation.Tx) error {
					return tx.CreateToken(ctx, &evaluation.APIToken{UserID: 999, Name: "x", Prefix: "p", CreatedAt: t0, ExpiresAt: t0}, "hash-9")
				})
			}, evaluation.Invalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantError(t, tt.call(), tt.want)
			})
		}
		list, err := db.Tokens(ctx, u.ID)
		if err != nil || len(list) != 2 {
			t.Errorf("%d tokens after the refusals (%v), want 2", len(list), err)
		}
	})
}

func TestExperts(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	full := addExpert(t, db, &evaluation.Expert{Name: "张华", Type: evaluation.StrategicScientist, Institution: "中国科学院上海分院",
		Title: "研究员", TitleLevel: evaluation.TitleSenior, SubjectCodes: []string{"510", "520.20"},
		Keywords: []string{"集成电路", "EDA \"tools\""}, Region: evaluation.RegionLocal, Languages: []string{"zh", "en"},
		Email: "zhang@example.org", CanBeDrawn: true})
	bare := addExpert(t, db, &evaluation.Expert{Name: "Anna Berg", Type: evaluation.InternationalPeer,
		Institution: "KTH", TitleLevel: evaluation.TitleAssociate, Region: evaluation.RegionInternational,
		CanBeDrawn: false, NoDrawReason: "on sabbatical"})
	fin := addExpert(t, db, &evaluation.Expert{Name: "刘会计", Type: evaluation.FinanceExpert, Keywords: []string{"审计"}, CanBeDrawn: true})

	t.Run("round trip", func(t *testing.T) {
		for _, want := range []*evaluation.Expert{full, bare} {
			got, err := db.Expert(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			// Lists without items come back empty; nil and empty are the same list.
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Expert(%d) (-want +got):\n%s", want.ID, diff)
			}
		}
	})

	t.Run("empty lists are stored as JSON arrays", func(t *testing.T) {
		var subjects, keywords, langs string
		err := db.QueryRowContext(ctx, `SELECT subject_codes, keywords, languages FROM experts WHERE id = ?`, bare.ID).
			Scan(&subjects, &keywords, &langs)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"[]", "[]", "[]"}, []string{subjects, keywords, langs}); diff != "" {
			t.Errorf("stored lists (-want +got):\n%s", diff)
		}
	})

	t.Run("filter", func(t *testing.T) {
		tests := []struct {
			name      string
			filter    evaluation.ExpertFilter
			want      []int64
			wantTotal int
		}{
			{"all", evaluation.ExpertFilter{}, []int64{full.ID, bare.ID, fin.ID}, 3},
			{"keyword", evaluation.ExpertFilter{Query: "集成电路"}, []int64{full.ID}, 1},
			{"institution, any case", evaluation.ExpertFilter{Query: "kth"}, []int64{bare.ID}, 1},
			{"type", evaluation.ExpertFilter{Type: evaluation.FinanceExpert}, []int64{fin.ID}, 1},
			{"page", evaluation.ExpertFilter{Page: page(2, 2)}, []int64{fin.ID}, 3},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := tt.filter
				if f.Page == (evaluation.Page{}) {
					f.Page = page(1, 20)
				}
				list, total, err := db.Experts(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, e := range list {
					got = append(got, e.ID)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("ids (-want +got):\n%s", diff)
				}
				if total != tt.wantTotal {
					t.Errorf("total = %d, want %d", total, tt.wantTotal)
				}
			})
		}
	})

	t.Run("not found", func(t *testing.T) {
		got, err := db.Expert(ctx, 999)
		wantError(t, err, evaluation.NotFound)
		if got != nil {
			t.Errorf("got %+v with the error, want nil", got)
		}
	})

	t.Run("bad type refused by the schema", func(t *testing.T) {
		err := db.InTx(ctx, func(tx evaluation.Tx) error {
			return tx.CreateExpert(ctx, &evaluation.Expert{Name: "x", Type: "astrologer", Institution: "x",
				TitleLevel: evaluation.TitleOther, Region: evaluation.RegionLocal, CreatedAt: t0, UpdatedAt: t0})
		})
		wantError(t, err, evaluation.Invalid)
	})
}

func TestCounts(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()

	got, err := db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	empty := evaluation.Counts{UsersByRole: map[evaluation.Role]int{}, ExpertsByType: map[evaluation.ExpertType]int{}}
	if diff := cmp.Diff(empty, got); diff != "" {
		t.Errorf("empty database (-want +got):\n%s", diff)
	}

	a := addAgency(t, db, "AAA")
	addAgency(t, db, "BBB")
	addAgency(t, db, "CCC")
	ex1 := addExpert(t, db, &evaluation.Expert{Name: "e1", Type: evaluation.DomainExpert, CanBeDrawn: true})
	addExpert(t, db, &evaluation.Expert{Name: "e2", Type: evaluation.DomainExpert, CanBeDrawn: true})
	addExpert(t, db, &evaluation.Expert{Name: "e3", Type: evaluation.Investor, CanBeDrawn: true})
	addUser(t, db, &evaluation.User{Username: "admin", Role: evaluation.RoleAdmin})
	addUser(t, db, &evaluation.User{Username: "s1", Role: evaluation.RoleAgencyStaff, AgencyID: a.ID})
	addUser(t, db, &evaluation.User{Username: "s2", Role: evaluation.RoleAgencyStaff, AgencyID: a.ID})
	addUser(t, db, &evaluation.User{Username: "x1", Role: evaluation.RoleExpert, ExpertID: ex1.ID})
	appendAudit(t, db, 4)

	got, err = db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := evaluation.Counts{
		Users:         4,
		UsersByRole:   map[evaluation.Role]int{evaluation.RoleAdmin: 1, evaluation.RoleAgencyStaff: 2, evaluation.RoleExpert: 1},
		Agencies:      3,
		Experts:       3,
		ExpertsByType: map[evaluation.ExpertType]int{evaluation.DomainExpert: 2, evaluation.Investor: 1},
		AuditEntries:  4,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Counts (-want +got):\n%s", diff)
	}
}
