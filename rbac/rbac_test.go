package rbac

import (
	"testing"
)

func TestAllowed(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	roles := []string{"admin", "commission", "agency_staff", "expert"}
	// want lists the roles allowed each permission; every other role is denied.
	cases := []struct {
		perm Permission
		want []string
	}{
		{Read("dashboard"), roles},
		{Read("self"), roles},
		{Write("self"), roles},
		{Read("user"), []string{"admin"}},
		{Write("user"), []string{"admin"}},
		{Read("agency"), []string{"admin", "commission", "agency_staff"}},
		{Write("agency"), []string{"admin"}},
		{Read("expert"), []string{"admin", "commission", "agency_staff"}},
		{Write("expert"), []string{"admin", "commission"}},
		{Read("audit"), []string{"admin", "commission", "agency_staff"}},
		{Read("rubric"), roles},
		{Read("material"), roles},
		{Write("material"), []string{"agency_staff"}},
		{Read("campaign"), []string{"admin", "commission", "agency_staff"}},
		{Write("campaign"), []string{"agency_staff"}},
		{Permission{"campaign", "transition"}, []string{"commission", "agency_staff"}},
		{Read("panel"), []string{"admin", "commission", "agency_staff"}},
		{Write("panel"), []string{"agency_staff"}},
		{Permission{"invitation", "answer"}, []string{"expert"}},
		{Write("rubric"), []string{"admin"}},
		{Read("outbox"), []string{"admin", "agency_staff"}},
		{Read("expert_record"), []string{"admin", "commission"}},
		{Write("expert_record"), nil},
		{Write("outbox"), nil},
		{Permission{"user", "delete"}, nil},
		{Permission{"nonexistent", "read"}, nil},
		{Permission{"authenticated", "read"}, nil},
	}
	for _, tc := range cases {
		allowed := map[string]bool{}
		for _, r := range tc.want {
			allowed[r] = true
		}
		for _, role := range append(roles, "", "authenticated", "root", "admin ") {
			want := allowed[role]
			if got := a.Allowed(role, tc.perm); got != want {
				t.Errorf("Allowed(%q, %v) = %v, want %v", role, tc.perm, got, want)
			}
		}
	}
}

func TestPublicAllowedForAll(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"", "expert"} {
		if !a.Allowed(role, Public) {
			t.Errorf("Allowed(%q, Public) = false", role)
		}
	}
}
