package web

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The catalogue's replays: a write sent again after it (or another) took
// effect, from an older copy of the record, or with a CSRF token from a
// session that has ended.

// replay is a request sent again: what must come back (the status, the
// message or a field's, and for a stale write the version of the record as
// stored now). It changes nothing: a refusal leaves the database as it
// was, and a write that is harmless twice (a pledge) does nothing new.
type replay struct {
	name, as, method, url, body string
	status                      int
	field, message              string
	current                     int // the stored version a stale answer carries; 0 for none
}

// sendReplay runs a replay as a subtest.
func (h *harness) sendReplay(t *testing.T, r replay) {
	t.Helper()
	t.Run(r.name, func(t *testing.T) {
		before := h.dump()
		resp, body := h.api(r.as, r.method, r.url, r.body)
		if resp.StatusCode != r.status {
			t.Fatalf("%s %s: status %d, want %d: %.400s", r.method, r.url, resp.StatusCode, r.status, body)
		}
		if r.status < 300 {
			if h.dump() != before {
				t.Error("a replay that does nothing new changed the database")
			}
			return
		}
		e := apiErr(t, body)
		got := e.Message
		if r.field != "" {
			got = e.Fields[r.field]
		}
		if !strings.Contains(got, r.message) {
			t.Errorf("the error says %q (field %q), want %q: %s", got, r.field, r.message, body)
		}
		if r.current > 0 {
			var stale struct {
				Current *struct {
					Version int `json:"version"`
				} `json:"current"`
			}
			if err := json.Unmarshal([]byte(body), &stale); err != nil || stale.Current == nil || stale.Current.Version != r.current {
				t.Errorf("the answer does not carry the record as stored at version %d: %.400s", r.current, body)
			}
		}
		if h.dump() != before {
			t.Error("a refused replay changed the database")
		}
	})
}

// Messages of the replays, in Chinese.
const (
	msgSheetStale    = "此评分表已在别处"
	msgSheetLocked   = "评分表已提交并锁定"
	msgOpinionStale  = "专家组意见在您打开后已被修改"
	msgOpinionNew    = "专家组意见尚未保存过"
	msgNotNow        = "当前状态下不能进行这一操作"
	msgCSRF          = "表单已过期或来源无效"
	msgUnauth        = "请先登录"
	msgAppealPending = "该项目已有待处理的申诉"
)

// badInputReplays: through the API, stale versions of a sheet and of the
// panel's opinion (409 with the record as stored, the version beside),
// a version made up before any save (400), and writes sent twice: a
// submission, a circulation, a pledge and a declaration (the second is
// harmless), a transition, a campaign's return, an approval, an appeal
// and its rejection, a signed-out token.
func badInputReplays(t *testing.T) int {
	h := newHarness(t)
	s := h.scoringCampaign()
	pp := func(f string) string { return fmt.Sprintf(f, s.projectID) }
	cc := func(f string) string { return fmt.Sprintf(f, s.campaignID) }
	sheet, submit := pp("/api/v1/projects/%d/sheet"), pp("/api/v1/projects/%d/sheet/submit")
	opinion, circulate := pp("/api/v1/projects/%d/opinion"), pp("/api/v1/projects/%d/opinion/circulate")
	pledge := fmt.Sprintf(`{"version":%q}`, evaluation.PledgeVersion)
	h.openSheet(s, s.member)
	h.mustAPI(s.member, "PUT", sheet, `{"version":0,"scores":{"A1":20}}`, http.StatusOK)
	h.mustAPI(s.member, "PUT", sheet, `{"version":1,"scores":{"A1":21}}`, http.StatusOK)
	h.warmTokens()
	cases := []replay{
		{name: "a sheet saved from the copy before the last save", as: s.member, method: "PUT", url: sheet, body: `{"version":1,"scores":{"A1":22}}`,
			status: 409, field: "version", message: msgSheetStale, current: 2},
		{name: "a sheet saved from the first copy", as: s.member, method: "PUT", url: sheet, body: `{"version":0,"scores":{"A1":22}}`,
			status: 409, field: "version", message: msgSheetStale, current: 2},
		{name: "a sheet saved from a version ahead of the stored one", as: s.member, method: "PUT", url: sheet, body: `{"version":7,"scores":{"A1":22}}`,
			status: 409, field: "version", message: msgSheetStale, current: 2},
		{name: "a sheet submitted from the copy before the last save", as: s.member, method: "POST", url: submit, body: `{"version":1,` + fullSheet + `}`,
			status: 409, field: "version", message: msgSheetStale, current: 2},
		{name: "the pledge signed again", as: s.member, method: "POST", url: cc("/api/v1/campaigns/%d/pledge"), body: pledge, status: 204},
		{name: "the declaration made again", as: s.member, method: "POST", url: pp("/api/v1/projects/%d/declaration"), body: `{"conflict":false}`, status: 204},
	}
	checked := 0
	run := func(cases ...replay) {
		for _, c := range cases {
			h.sendReplay(t, c)
			checked++
		}
	}
	run(cases...)

	// The submission, then the same request again.
	h.mustAPI(s.member, "POST", submit, `{"version":2,`+fullSheet+`}`, http.StatusOK)
	run(replay{name: "a submission sent twice", as: s.member, method: "POST", url: submit, body: `{"version":2,` + fullSheet + `}`,
		status: 409, message: msgSheetLocked},
		replay{name: "a submission again from the version it made", as: s.member, method: "POST", url: submit, body: `{"version":3,` + fullSheet + `}`,
			status: 409, message: msgSheetLocked},
		replay{name: "a draft saved after the submission", as: s.member, method: "PUT", url: sheet, body: `{"version":3,"scores":{"A1":10}}`,
			status: 409, message: msgSheetLocked})

	// The panel's opinion: every sheet in first.
	h.submitOthers(s)
	h.warmTokens()
	run(replay{name: "the panel opinion saved from a version made up before any save", as: s.chair, method: "PUT", url: opinion,
		body: `{"version":3,"text":"同意通过","proposed":"pass"}`, status: 400, field: "version", message: msgOpinionNew})
	h.mustAPI(s.chair, "PUT", opinion, `{"version":0,"text":"第一稿","proposed":"pass"}`, http.StatusOK)
	h.mustAPI(s.chair, "PUT", opinion, `{"version":1,"text":"第二稿","proposed":"pass"}`, http.StatusOK)
	run(replay{name: "the panel opinion saved from the copy before the last save", as: s.chair, method: "PUT", url: opinion,
		body: `{"version":1,"text":"另一个标签页的稿","proposed":"pass"}`, status: 409, field: "version", message: msgOpinionStale, current: 2},
		replay{name: "the panel opinion's first save sent twice", as: s.chair, method: "PUT", url: opinion,
			body: `{"version":0,"text":"第一稿","proposed":"pass"}`, status: 409, field: "version", message: msgOpinionStale, current: 2},
		replay{name: "the panel opinion circulated from the copy before the last save", as: s.chair, method: "POST", url: circulate,
			body: `{"version":1}`, status: 409, field: "version", message: msgOpinionStale, current: 2})
	h.mustAPI(s.chair, "POST", circulate, `{"version":2}`, http.StatusOK)
	run(replay{name: "a circulation sent twice", as: s.chair, method: "POST", url: circulate, body: `{"version":2}`,
		status: 409, message: "不能再次发出"})

	// The rest of the campaign's life, each step sent twice.
	for _, m := range s.panel.Members {
		u, err := h.db.UserByExpert(t.Context(), m.ExpertID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status == evaluation.MemberAccepted && u.Username != s.chair {
			h.mustAPI(u.Username, "POST", pp("/api/v1/projects/%d/opinion/response"), `{"agree":true}`, http.StatusOK)
		}
	}
	transitions := cc("/api/v1/campaigns/%d/transitions")
	h.mustAPI("staffa", "POST", transitions, `{"to":"concluding"}`, http.StatusOK)
	run(replay{name: "a transition sent twice", as: "staffa", method: "POST", url: transitions, body: `{"to":"concluding"}`,
		status: 409, field: "to", message: msgNotNow})
	h.mustAPI("staffa", "POST", pp("/api/v1/projects/%d/conclusions"), `{"conclusion":"pass"}`, http.StatusCreated)
	h.mustAPI("staffa", "POST", transitions, `{"to":"submitted"}`, http.StatusOK)
	run(replay{name: "a conclusion sent again after the campaign went to the commission", as: "staffa", method: "POST",
		url: pp("/api/v1/projects/%d/conclusions"), body: `{"conclusion":"pass"}`, status: 409, message: "形成结论"})
	h.mustAPI("commission", "PUT", pp("/api/v1/projects/%d/return"), `{"comment":"请补充说明。"}`, http.StatusOK)
	h.mustAPI("commission", "POST", cc("/api/v1/campaigns/%d/return"), `{"reason":"个别项目需补充说明。"}`, http.StatusOK)
	run(replay{name: "a campaign's return sent twice", as: "commission", method: "POST", url: cc("/api/v1/campaigns/%d/return"),
		body: `{"reason":"个别项目需补充说明。"}`, status: 409, message: "等待审核"})
	h.mustAPI("staffa", "POST", transitions, `{"to":"concluding"}`, http.StatusOK)
	h.mustAPI("staffa", "PUT", pp("/api/v1/projects/%d/return/answer"), `{"answer":"已补充。"}`, http.StatusOK)
	h.mustAPI("staffa", "POST", transitions, `{"to":"submitted"}`, http.StatusOK)
	h.mustAPI("commission", "POST", cc("/api/v1/campaigns/%d/approve"), `{"days":5}`, http.StatusOK)
	run(replay{name: "an approval sent twice", as: "commission", method: "POST", url: cc("/api/v1/campaigns/%d/approve"), body: `{"days":5}`,
		status: 409, message: "等待审核"})
	appeal := `{"reason":"procedure","appellant":"承担单位","text":"程序有误。"}`
	h.mustAPI("staffa", "POST", pp("/api/v1/projects/%d/appeals"), appeal, http.StatusOK)
	run(replay{name: "an appeal filed twice", as: "staffa", method: "POST", url: pp("/api/v1/projects/%d/appeals"), body: appeal,
		status: 409, message: msgAppealPending})
	h.mustAPI("commission", "POST", pp("/api/v1/projects/%d/appeals/1/reject"), `{"reason":"不成立。"}`, http.StatusOK)
	run(replay{name: "an appeal's rejection sent twice", as: "commission", method: "POST", url: pp("/api/v1/projects/%d/appeals/1/reject"),
		body: `{"reason":"不成立。"}`, status: 409, message: "该申诉当前不能进行此操作"})
	h.mustAPI("staffb", "DELETE", "/api/v1/auth/token", "", http.StatusNoContent)
	run(replay{name: "a token signed out twice", as: "staffb", method: "DELETE", url: "/api/v1/auth/token", status: 401, message: msgUnauth})
	return checked
}

// badInputReplayForms: forms sent again — with the CSRF token of a
// session that has ended (with the old cookies, and in the next session),
// and after what they did, or from an older copy: each refused with a
// page that says why, and nothing changed.
func badInputReplayForms(t *testing.T) int {
	h := newHarness(t)
	s := h.scoringCampaign()
	checked := 0
	// expect posts form to target as b and checks the answer.
	expect := func(name string, b *browser, target string, form url.Values, status int, says string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			before := h.dump()
			resp, page := b.post(target, form)
			if resp.StatusCode != status {
				t.Fatalf("POST %s: status %d, want %d: %.400s", target, resp.StatusCode, status, visibleText(page))
			}
			if !strings.Contains(visibleText(page), says) {
				t.Errorf("POST %s: the page does not say %q: %.600s", target, says, visibleText(page))
			}
			if h.dump() != before {
				t.Error("a refused form changed the database")
			}
		})
		checked++
	}

	// Tokens of a session that ended.
	for _, f := range []struct {
		what, page, url string
		form            url.Values
	}{
		{"a new campaign", "/campaigns/new", "/campaigns", url.Values{"name": {"重放的批次"}, "year": {"2026"}}},
		{"a password change", "/profile", "/profile/password", url.Values{"current_password": {testPassword}, "password": {"another long passphrase 77"}}},
		{"a new API token", "/profile", "/profile/tokens", url.Values{"name": {"重放的令牌"}}},
	} {
		b := h.browser()
		b.login("staffa")
		b.get(f.page)
		old, cookies := b.csrf, maps.Clone(b.cookies)
		if resp, _ := b.post("/logout", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout: %d", resp.StatusCode)
		}
		form := maps.Clone(f.form)
		form.Set("_csrf", old)
		stale := h.browser()
		stale.cookies = cookies
		expect(f.what+", replayed with the old cookies after signing out", stale, f.url, form, http.StatusForbidden, msgCSRF)
		b.login("staffa")
		expect(f.what+", replayed in the next session with the old token", b, f.url, form, http.StatusForbidden, msgCSRF)
	}

	// The sheet: a save from an older copy, a submission sent twice.
	w := h.workspace(s, s.member)
	w.open(t)
	save := sheetForm(0)
	save.Set("op", "save")
	if resp, _ := w.post(w.sheet, save); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	w.get(w.sheet)
	expect("the sheet form sent again from the copy before the save", w.browser, w.sheet, save, http.StatusConflict, msgSheetStale)
	w.get(w.review)
	if resp, _ := w.post(w.sub, url.Values{"version": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	w.get(w.review)
	expect("the submission sent twice", w.browser, w.sub, url.Values{"version": {"1"}}, http.StatusConflict, msgSheetLocked)

	// The panel's opinion from an older copy; a conclusion after the
	// campaign moved on; a transition and an appeal sent twice.
	h.submitOthers(s)
	chair := h.browser()
	chair.login(s.chair)
	op := fmt.Sprintf("/workspace/projects/%d/opinion", s.projectID)
	chair.get(op)
	draft := url.Values{"version": {"0"}, "text": {"第一稿"}, "proposed": {"pass"}, "op": {"save"}}
	if resp, _ := chair.post(op, draft); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the opinion's first draft: %d", resp.StatusCode)
	}
	chair.get(op)
	expect("the opinion form sent again from the copy before the save", chair, op, draft, http.StatusConflict, msgOpinionStale)
	h.submittedCampaign2(s)
	staff := h.browser()
	staff.login("staffa")
	result := fmt.Sprintf("/projects/%d/result", s.projectID)
	staff.get(result)
	expect("a conclusion form sent after the campaign went to the commission", staff, result+"/conclusion",
		url.Values{"conclusion": {"pass"}}, http.StatusConflict, "形成结论")
	campaign := fmt.Sprintf("/campaigns/%d", s.campaignID)
	staff.get(campaign)
	expect("a transition form sent twice", staff, campaign+"/transition", url.Values{"to": {"submitted"}}, http.StatusConflict, msgNotNow)
	comm := h.browser()
	comm.login("commission")
	comm.get(campaign)
	if resp, _ := comm.post(campaign+"/approve", url.Values{"days": {"5"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", resp.StatusCode)
	}
	expect("an approval form sent twice", comm, campaign+"/approve", url.Values{"days": {"5"}}, http.StatusConflict, "等待审核")
	staff.get(result)
	appeal := url.Values{"reason": {"procedure"}, "appellant": {"承担单位"}, "text": {"程序有误。"}}
	if resp, _ := staff.post(result+"/appeals", appeal); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("appeal: %d", resp.StatusCode)
	}
	staff.get(result)
	expect("an appeal form sent twice", staff, result+"/appeals", appeal, http.StatusConflict, msgAppealPending)
	return checked
}

// submittedCampaign2 is submittedCampaign after the sheets are in and the
// chair's first draft saved: the opinion saved again, circulated and
// agreed, the project passed, the campaign submitted.
func (h *harness) submittedCampaign2(s *scoring) {
	h.t.Helper()
	pp := func(format string) string { return fmt.Sprintf(format, s.projectID) }
	h.mustAPI(s.chair, "PUT", pp("/api/v1/projects/%d/opinion"), `{"version":1,"text":"同意通过。","proposed":"pass"}`, http.StatusOK)
	h.mustAPI(s.chair, "POST", pp("/api/v1/projects/%d/opinion/circulate"), `{"version":2}`, http.StatusOK)
	for _, m := range s.panel.Members {
		u, err := h.db.UserByExpert(h.t.Context(), m.ExpertID)
		if err != nil {
			h.t.Fatal(err)
		}
		if m.Status == evaluation.MemberAccepted && u.Username != s.chair {
			h.mustAPI(u.Username, "POST", pp("/api/v1/projects/%d/opinion/response"), `{"agree":true}`, http.StatusOK)
		}
	}
	transitions := fmt.Sprintf("/api/v1/campaigns/%d/transitions", s.campaignID)
	h.mustAPI("staffa", "POST", transitions, `{"to":"concluding"}`, http.StatusOK)
	h.mustAPI("staffa", "POST", pp("/api/v1/projects/%d/conclusions"), `{"conclusion":"pass"}`, http.StatusCreated)
	h.mustAPI("staffa", "POST", transitions, `{"to":"submitted"}`, http.StatusOK)
}
