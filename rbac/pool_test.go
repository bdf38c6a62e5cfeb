package rbac

import "testing"

// TestPoolPermissions: the expert pool's objects, role by role. The
// services narrow these further (an expert reads and declares only for
// their own profile, and removes only what they declared).
func TestPoolPermissions(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	roles := []string{"admin", "commission", "agency_staff", "expert"}
	cases := []struct {
		perm Permission
		want []string
	}{
		{Read("expert"), []string{"admin", "commission", "agency_staff"}},
		{Write("expert"), []string{"admin", "commission"}},
		{Read("expert_profile"), roles},
		{Write("expert_profile"), nil},
		{Read("expert_conflict"), roles},
		{Write("expert_conflict"), []string{"admin", "commission", "expert"}},
		{Read("institution_alias"), []string{"admin"}},
		{Write("institution_alias"), []string{"admin"}},
	}
	for _, tc := range cases {
		allowed := map[string]bool{}
		for _, r := range tc.want {
			allowed[r] = true
		}
		for _, role := range append(roles, "", "authenticated") {
			if got := a.Allowed(role, tc.perm); got != allowed[role] {
				t.Errorf("Allowed(%q, %v) = %v, want %v", role, tc.perm, got, allowed[role])
			}
		}
	}
}
