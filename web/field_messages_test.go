package web

import (
	"context"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestPasswordLimitsInItsMessageOnly: the password's limits reach its
// message as that field's values, from the domain; another field's message
// gets no values it was not given.
func TestPasswordLimitsInItsMessageOnly(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		name, password, want string
	}{
		{"too short", "short", "at least 10 characters"},
		{"too long", strings.Repeat("p", 129), "exceed 128 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := h.svc.Accounts.ResetPassword(context.Background(), evaluation.System, h.users["expert"].ID, tc.password)
			e := evaluation.ErrorAs(err)
			if e == nil {
				t.Fatalf("got %v, want a field error", err)
			}
			if got := h.app.fieldMessages(evaluation.LangEN, e)["password"]; !strings.Contains(got, tc.want) {
				t.Errorf("password: got %q, want it to contain %q", got, tc.want)
			}
		})
	}

	e := &evaluation.Error{Code: evaluation.Invalid, Fields: map[string]string{
		"password": "error.password_too_short", "other": "error.password_too_long"},
		Args: map[string]map[string]any{"password": {"Min": 12}}}
	got := h.app.fieldMessages(evaluation.LangEN, e)
	if !strings.Contains(got["password"], "at least 12 characters") {
		t.Errorf("password: got %q, want the field's own Min, 12", got["password"])
	}
	if strings.Contains(got["other"], "128") {
		t.Errorf("other: got %q; a field without values must not be given the password's limits", got["other"])
	}
}
