package evaluation_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/password"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore/storetest"
)

// pw is a password that passes the rules.
const pw = "correct-horse-battery"

// clock is a settable clock for evaluation.WithClock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a service over a fresh SQLite file, with an administrator and an
// agency (SSTPC) already in place.
type env struct {
	db     *sqlstore.DB
	svc    *evaluation.Services
	clock  *clock
	admin  evaluation.Actor
	agency *evaluation.Agency
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, err := sqlstore.Open(t.Context(), storetest.Target(t))
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close database: %v", err)
		}
	})
	c := &clock{t: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)}
	svc, err := evaluation.New(db, password.New(password.Fast), evaluation.WithClock(c.now))
	if err != nil {
		t.Fatalf("evaluation.New: %v", err)
	}
	e := &env{db: db, svc: svc, clock: c}
	e.admin = e.user(t, evaluation.NewUser{Username: "root.admin", Name: "管理员", Role: evaluation.RoleAdmin}).Actor()
	e.agency = e.newAgency(t, "SSTPC")
	return e
}

// user creates an account as the system, with pw unless in sets a password.
func (e *env) user(t *testing.T, in evaluation.NewUser) *evaluation.User {
	t.Helper()
	if in.Password == "" {
		in.Password = pw
	}
	if in.Name == "" {
		in.Name = in.Username
	}
	u, err := e.svc.Accounts.CreateUser(t.Context(), evaluation.System, in)
	if err != nil {
		t.Fatalf("create user %s: %v", in.Username, err)
	}
	return u
}

func (e *env) staff(t *testing.T, username, agencyCode string) *evaluation.User {
	t.Helper()
	return e.user(t, evaluation.NewUser{Username: username, Role: evaluation.RoleAgencyStaff, AgencyCode: agencyCode})
}

func (e *env) newAgency(t *testing.T, code string) *evaluation.Agency {
	t.Helper()
	a, err := e.svc.Accounts.CreateAgency(t.Context(), evaluation.System, evaluation.NewAgency{Code: code, NameZH: code + " 中心", NameEN: code + " Center"})
	if err != nil {
		t.Fatalf("create agency %s: %v", code, err)
	}
	return a
}

func (e *env) disableAgency(t *testing.T, a *evaluation.Agency) {
	t.Helper()
	yes := true
	if _, err := e.svc.Accounts.UpdateAgency(t.Context(), e.admin, a.ID, evaluation.AgencyUpdate{Disabled: &yes}); err != nil {
		t.Fatalf("disable agency %s: %v", a.Code, err)
	}
}

func (e *env) expert(t *testing.T, name string) *evaluation.Expert {
	t.Helper()
	ex := &evaluation.Expert{Name: name, Type: evaluation.DomainExpert, Institution: "复旦大学",
		TitleLevel: evaluation.TitleSenior, Region: evaluation.RegionLocal, CanBeDrawn: true}
	if err := e.svc.Pool.CreateExpert(t.Context(), e.admin, ex); err != nil {
		t.Fatalf("create expert %s: %v", name, err)
	}
	return ex
}

// auditCount is the number of entries in the audit log.
func (e *env) auditCount(t *testing.T) int {
	t.Helper()
	_, n, err := e.db.AuditEntries(t.Context(), evaluation.AuditFilter{Page: evaluation.Page{Number: 1, Size: 1}})
	if err != nil {
		t.Fatalf("count audit entries: %v", err)
	}
	return n
}

// lastAudit is the newest audit entry.
func (e *env) lastAudit(t *testing.T) *evaluation.AuditEntry {
	t.Helper()
	list, _, err := e.db.AuditEntries(t.Context(), evaluation.AuditFilter{Page: evaluation.Page{Number: 1, Size: 1}})
	if err != nil || len(list) == 0 {
		t.Fatalf("newest audit entry: %v (%d entries)", err, len(list))
	}
	return list[0]
}

// userCount is the number of accounts.
func (e *env) userCount(t *testing.T) int {
	t.Helper()
	_, n, err := e.db.Users(t.Context(), evaluation.UserFilter{Page: evaluation.Page{Number: 1, Size: 1}})
	if err != nil {
		t.Fatalf("count users: %v", err)
	}
	return n
}

// details decodes an audit entry's details.
func details(t *testing.T, e *evaluation.AuditEntry) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(e.Details), &m); err != nil {
		t.Fatalf("details of entry %d: %v", e.ID, err)
	}
	return m
}

// wantCode checks the code of err.
func wantCode(t *testing.T, err error, code evaluation.Code) *evaluation.Error {
	t.Helper()
	if got := evaluation.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	return evaluation.ErrorAs(err)
}

func ptr[T any](v T) *T { return &v }

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// faultyStore is the env's store with reads and writes that fail on
// demand, for testing that a failed store call reaches the caller and rolls
// the whole service call back.
type faultyStore struct {
	*sqlstore.DB
	// fail reports whether the store method op (its name) fails for the
	// object or id v.
	fail func(op string, v any) bool
}

func (s *faultyStore) InTx(ctx context.Context, fn func(tx evaluation.Tx) error) error {
	return s.DB.InTx(ctx, func(tx evaluation.Tx) error { return fn(faultyTx{tx, s}) })
}

func (s *faultyStore) fails(op string, v any) bool { return s.fail != nil && s.fail(op, v) }

type faultyTx struct {
	evaluation.Tx
	s *faultyStore
}

var errDiskFull = errors.New("disk full")

func (tx faultyTx) UpdatePanelMember(ctx context.Context, m *evaluation.PanelMember) error {
	if tx.s.fails("UpdatePanelMember", m) {
		return errDiskFull
	}
	return tx.Tx.UpdatePanelMember(ctx, m)
}

func (tx faultyTx) Project(ctx context.Context, id int64) (*evaluation.Project, error) {
	if tx.s.fails("Project", id) {
		return nil, errDiskFull
	}
	return tx.Tx.Project(ctx, id)
}

func (tx faultyTx) ProjectByCode(ctx context.Context, campaignID int64, code string) (*evaluation.Project, error) {
	if tx.s.fails("ProjectByCode", code) {
		return nil, errDiskFull
	}
	return tx.Tx.ProjectByCode(ctx, campaignID, code)
}

func (tx faultyTx) Expert(ctx context.Context, id int64) (*evaluation.Expert, error) {
	if tx.s.fails("Expert", id) {
		return nil, errDiskFull
	}
	return tx.Tx.Expert(ctx, id)
}

// faulty returns services over the env's database whose store calls fail
// as the returned store is told to.
func (e *env) faulty(t *testing.T) (*evaluation.Services, *faultyStore) {
	t.Helper()
	st := &faultyStore{DB: e.db}
	svc, err := evaluation.New(st, password.New(password.Fast), evaluation.WithClock(e.clock.now))
	if err != nil {
		t.Fatalf("evaluation.New: %v", err)
	}
	return svc, st
}
