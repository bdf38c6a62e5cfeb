package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The regression tests of issue 11's outside probe.

// TestDrawRepeatedProject: a draw naming the same project twice is refused
// with 400 and a message for the projects field, and changes nothing.
func TestDrawRepeatedProject(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	h.withPool()
	cid, pid := h.formingCampaign()
	h.warmTokens()
	before := h.dump()
	h.run(t, scenario{name: "repeated project", as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/panels/draw", cid),
		body: fmt.Sprintf(`{"projects":[%d,%d]}`, pid, pid), status: http.StatusBadRequest, code: evaluation.Invalid, fields: []string{"projects"}})
	if h.dump() != before {
		t.Errorf("a refused draw changed the database")
	}
}

// offSiteNext are next values that must not lead off this site, decoded
// as a handler sees them.
var offSiteNext = []string{
	"//evil.example/", "/\\evil.example/", "\\\\evil.example", "/\t/evil.example/", "/\n/evil.example/", "/\r\n/evil.example",
	"https://evil.example/", "HTTPS://evil.example", "http:/evil.example", "javascript:alert(1)", "JavaScript:alert(1)",
	"data:text/html,x", "evil.example", "/%2F%2Fevil.example", "/%2f/evil.example", " /evil", "/\x00/evil.example",
	"/\u00a0/evil.example", "/\u2028/evil.example", "///evil.example", "/x\x7f", "//@evil.example", "/\xff/x",
}

// TestLocalPath: localPath keeps paths of this site and turns everything
// that could lead elsewhere into "/".
func TestLocalPath(t *testing.T) {
	for _, next := range offSiteNext {
		if got := localPath(next); got != "/" {
			t.Errorf("localPath(%q) = %q, want /", next, got)
		}
	}
	for _, next := range []string{"/", "/campaigns/3", "/campaigns/3?panel=without#projects", "/a/b%20c", "/login?next=%2Fx"} {
		if got := localPath(next); got != next {
			t.Errorf("localPath(%q) = %q, want it kept", next, got)
		}
	}
}

// TestNoOpenRedirect: no next parameter takes a browser off-site, neither
// on the sign-in page (signed in, and signing in), nor switching language,
// nor revoking a token.
func TestNoOpenRedirect(t *testing.T) {
	h := newHarness(t)
	signedIn := h.browser()
	signedIn.login("staffa")
	for _, next := range offSiteNext {
		t.Run(url.QueryEscape(next), func(t *testing.T) {
			wantHome := func(what string, resp *http.Response) {
				t.Helper()
				if resp.StatusCode < 300 || resp.StatusCode > 399 {
					t.Fatalf("%s: status %d, want a redirect", what, resp.StatusCode)
				}
				if loc := resp.Header.Get("Location"); loc != "/" {
					t.Errorf("%s: Location %q, want /", what, loc)
				}
			}
			resp, _ := signedIn.get("/login?next=" + url.QueryEscape(next))
			wantHome("signed-in login page", resp)
			resp, _ = signedIn.post("/lang", url.Values{"lang": {"en"}, "next": {next}})
			wantHome("language switch", resp)

			anon := h.browser()
			anon.get("/login")
			resp, _ = anon.post("/login", url.Values{"username": {"staffb"}, "password": {testPassword}, "next": {next}})
			wantHome("signing in", resp)
		})
	}
	// The raw query of the probe, with the tab encoded.
	req := httptest.NewRequest(http.MethodGet, "/login?next=%2F%09%2Fevil.example%2F", nil)
	if resp, _ := signedIn.send(req); resp.Header.Get("Location") != "/" {
		t.Errorf("probe's next: Location %q, want /", resp.Header.Get("Location"))
	}
	// Revoking a token redirects to next too.
	list, err := h.svc.Accounts.Tokens(context.Background(), h.users["staffa"].Actor())
	if err != nil || len(list) == 0 {
		t.Fatalf("tokens: %v %v", list, err)
	}
	signedIn.get("/profile")
	resp, _ := signedIn.post(fmt.Sprintf("/tokens/%d/revoke", list[0].ID), url.Values{"next": {"/\t/evil.example"}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
		t.Errorf("revoking a token: status %d, Location %q, want 303 to /", resp.StatusCode, loc)
	}
}
