package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// jsonReader is one of the API's readers of a JSON body, as its handler
// calls it: the body and its content type in, what was read or an error
// out.
type jsonReader struct {
	name string
	read func(a *App, contentType string, body []byte) (any, error)
	// roundTrip, when set, turns what was read back into a body that the
	// reader must read to the same value.
	roundTrip func(v any) ([]byte, error)
}

// decodes is the reader of the request type T (decodeJSON).
func decodes[T any]() jsonReader {
	return jsonReader{
		name: reflect.TypeFor[T]().Name(),
		read: func(a *App, contentType string, body []byte) (any, error) {
			var v T
			err := a.decodeBody(contentType, body, &v)
			return &v, err
		},
		roundTrip: func(v any) ([]byte, error) { return json.Marshal(v) },
	}
}

// savedSheet is what readSheet reads.
type savedSheet struct {
	Version int `json:"version"`
	evaluation.SheetContent
}

// jsonReaders are the readers of every JSON request body of the API: the
// request type of each handler that calls decodeJSON (a test keeps the
// list complete), the score sheet, and the rubric and the sheet checked
// against one.
var jsonReaders = []jsonReader{
	// Accounts, agencies, tokens.
	decodes[tokenRequest](), decodes[meUpdate](), decodes[passwordChange](), decodes[userForm](),
	decodes[userPatch](), decodes[resetForm](), decodes[agencyForm](), decodes[agencyPatch](),
	// Campaigns and projects.
	decodes[campaignRequest](), decodes[transitionRequest](), decodes[projectRequest](),
	decodes[inspectionRequest](), decodes[testRequest](), decodes[demonstrationRequest](),
	// Panels: draws, matches, replacements, invitations.
	decodes[drawRequest](), decodes[matchRequest](), decodes[replaceRequest](), decodes[candidatesRequest](),
	decodes[declineRequest](),
	// The expert pool.
	decodes[expertRequest](), decodes[expertPatch](), decodes[flagRequest](), decodes[conflictForm](),
	decodes[collaborationForm](), decodes[aliasForm](),
	// The workspace and the agency's actions on sheets.
	decodes[pledgeRequest](), decodes[declarationRequest](), decodes[reasonRequest](), decodes[deadlineRequest](),
	decodes[remindRequest](),
	// Revisions, opinions, conclusions, vetoes, returns, appeals, publicity.
	decodes[revisionRequest](), decodes[opinionRequest](), decodes[versionRequest](), decodes[opinionResponseRequest](),
	decodes[conclusionRequest](), decodes[rectificationRequest](), decodes[vetoRequest](), decodes[returnRequest](),
	decodes[returnCampaignRequest](), decodes[answerRequest](), decodes[appealRequest](), decodes[appealReasonRequest](),
	decodes[reevaluateRequest](), decodes[resolveRequest](), decodes[approveRequest](),
	// Rubrics.
	decodes[newVersionRequest](),
	{
		name: "readSheet",
		read: func(_ *App, contentType string, body []byte) (any, error) {
			base, content, err := readSheet(contentType, body)
			return savedSheet{Version: base, SheetContent: content}, err
		},
		roundTrip: func(v any) ([]byte, error) { return json.Marshal(v) },
	},
	{
		name: "readRubric",
		read: func(_ *App, contentType string, body []byte) (any, error) {
			r, ps, err := readRubric(contentType, body)
			if err != nil {
				return nil, err
			}
			// Problems are part of an answer (the validate endpoint,
			// a draft being written), not a refusal.
			return struct {
				Rubric   *rubrics.Rubric
				Problems any
			}{r, errorOf(evaluation.ProblemsError(ps))}, nil
		},
	},
	{
		name: "readCheckedSheet",
		read: func(_ *App, contentType string, body []byte) (any, error) {
			return readCheckedSheet(contentType, body)
		},
		roundTrip: func(v any) ([]byte, error) { return json.Marshal(v) },
	},
}

// decodeCall finds the calls of decodeJSON, and decodeVar each one's
// request type: that of the variable declared just before the call.
var (
	decodeCall = regexp.MustCompile(`a\.decodeJSON\(c, &(\w+)\)`)
	decodeVar  = regexp.MustCompile(`var (\w+) (\w+)\n(?:[^\n]*\n){0,2}?[^\n]*a\.decodeJSON\(c, &(\w+)\)`)
)

// TestJSONReadersCoverEveryRequest fails when a handler decodes a request
// type that FuzzDecodeRequest does not feed.
func TestJSONReadersCoverEveryRequest(t *testing.T) {
	fed := map[string]bool{}
	for _, r := range jsonReaders {
		if fed[r.name] {
			t.Errorf("%s is in jsonReaders twice", r.name)
		}
		fed[r.name] = true
	}
	calls, typed, found := 0, 0, map[string]bool{}
	for _, src := range goSources(t, "*.go") {
		calls += len(decodeCall.FindAllString(src.Text, -1))
		for _, m := range decodeVar.FindAllStringSubmatch(src.Text, -1) {
			if m[1] != m[3] {
				continue
			}
			typed++
			found[m[2]] = true
			if !fed[m[2]] {
				t.Errorf("%s: the request type %s is not in jsonReaders", src.Path, m[2])
			}
		}
	}
	if typed != calls || calls < 40 {
		t.Errorf("found the request type of %d of %d calls of decodeJSON; the scan is broken", typed, calls)
	}
	for name := range fed {
		// The readers named after their function (readSheet, …) are
		// not decodeJSON's.
		if !found[name] && !strings.HasPrefix(name, "read") {
			t.Errorf("jsonReaders has %s, which no handler decodes", name)
		}
	}
}

// catalogues are the message IDs of each language's files.
type catalogues map[evaluation.Language]map[string]bool

func loadCatalogues(tb testing.TB) catalogues {
	tb.Helper()
	out := catalogues{}
	for _, lang := range evaluation.Languages {
		paths, err := messagePaths(lang)
		if err != nil {
			tb.Fatal(err)
		}
		ids := map[string]bool{}
		for _, path := range paths {
			data, err := messageFiles.ReadFile(path)
			if err != nil {
				tb.Fatal(err)
			}
			part := map[string]string{}
			if err := json.Unmarshal(data, &part); err != nil {
				tb.Fatalf("%s: %v", path, err)
			}
			for id := range part {
				ids[id] = true
			}
		}
		out[lang] = ids
	}
	return out
}

// checkRefusal fails the test unless err is what a handler answers a bad
// body with: an input error (a 4xx status), whose message and field
// messages are IDs in both languages' messages, each of which translates
// with every value it shows.
func (cat catalogues) checkRefusal(t *testing.T, a *App, what string, err error) {
	t.Helper()
	e := evaluation.ErrorAs(err)
	if e == nil {
		t.Fatalf("%s: refused with %v, which is no input error (500)", what, err)
	}
	if status := statusOf[e.Code]; status < 400 || status >= 500 {
		t.Errorf("%s: refused with code %s, status %d, want a 4xx", what, e.Code, status)
	}
	ids := []string{e.Message}
	for field, msg := range e.Fields {
		if field == "" {
			t.Errorf("%s: a field message %q names no field", what, msg)
		}
		ids = append(ids, msg)
	}
	for _, id := range ids {
		for lang, known := range cat {
			if !known[id] {
				t.Errorf("%s: message %q is not in the %s messages (error %+v)", what, id, lang, e)
			}
		}
	}
	for lang := range cat {
		texts := []string{a.message(lang, e)}
		for _, s := range a.fieldMessages(lang, e) {
			texts = append(texts, s)
		}
		for _, s := range texts {
			if strings.Contains(s, "<no value>") {
				t.Errorf("%s: %s message %q lacks a value it shows (error %+v)", what, lang, s, e)
			}
		}
	}
}

// errorOf is an error as a handler's caller sees it, for comparing.
func errorOf(err error) any {
	if e := evaluation.ErrorAs(err); e != nil {
		return *e
	}
	if err != nil {
		return err.Error()
	}
	return nil
}

// jsonSeeds are bodies from the API's tests and documents: each reader
// gets every one, so one reader's body is the others' unknown fields.
var jsonSeeds = []string{
	`{"username":"staffa","password":"correct horse battery","name":"ci"}`,
	`{"language":"en"}`,
	`{"current_password":"correct horse battery","password":"a long and solid passphrase 42"}`,
	`{"username":"bad.user","name":"名称","role":"commission","password":"a long and solid passphrase 42"}`,
	`{"code":"XYZ","name_zh":"某中心","name_en":"X Agency"}`,
	`{"name":"评分批次","year":2026,"programme":"重点研发","aggregation":"trimmed_mean"}`,
	`{"name":"批次","year":"2026"}`,
	`{"to":"scoring","reason":"专家已全部接受邀请"}`,
	`{"kind":"discussion","note":"复核","due":"2026-13-45"}`,
	`{"project_ids":[1,2],"seed":"abc"}`,
	`{"name":"张三","type":"domain_expert","institution":"第7研究院","title_level":"senior","region":"local","subject_codes":["560.20"],"can_be_drawn":true}`,
	`{"version":"2026-1"}`,
	`{"conflict":true,"reason":"曾与项目负责人合作"}`,
	`{"reason":"请补充第三方检测报告"}`,
	`{"due":"2026-06-30","reason":"出差"}`,
	`{"expert_id":0}`,
	`{"conclusion":"pass"}`,
	`{"agree":true}`,
	`{"comment":"请说明财务专家意见与结论的关系。"}`,
	`{"answer":"已核实，结论维持通过。"}`,
	`{"from":1}`,
	`{"version":0,"scores":{"A1":22,"A2":20,"A3":21,"A4":8,"A5":12},"comments":{"A1":"主要指标全部完成。"},"opinion":"完成了任务书规定的主要考核指标。"}`,
	`{"version":3,"scores":{"F1":18,"F2":20},"opinion":"财务","vetoes":[{"code":"V3","evidence":"挪用"}],"finance_pass":false}`,
	`{"scores":{"A1":17.5,"A2":24.5,"A3":22,"A4":8.5,"A5":13},"comments":{"A2":"优于约定值"},"opinion":"同意通过"}`,
	`{"version":0,"scores":{"A1":"22","A2":null,"A3":1e309,"A4":22.3,"A5":-0}}`,
	`{"version":0}{"version":1}`,
	`{"version":0,"scores":{"A1":2`,
	`{"name":"x","name":"y"}`,
	`{"name":["批次"],"year":2026}`,
	`{"name":"名称\u202etxt.exe","year":2026}`,
	`{"password":"\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"}`,
	`{"year":99999999999999999999}`,
	`{"settings":{"scoring_due":"2026-02-30"}}`,
	"\xff\xfe{}", `[]`, `null`, `0`, `""`, ` `,
}

// FuzzDecodeRequest reads each body with every JSON reader of the API, as
// its handler does (decodeJSON, readSheet, readRubric, readCheckedSheet),
// under the declared content type. Whatever the bytes: no panic; the same
// body reads the same twice; what is read passes the reader's checks and,
// written back as JSON, reads to the same; and a refusal is an input error
// (4xx) whose messages are in both languages and translate with every
// value they show.
func FuzzDecodeRequest(f *testing.F) {
	for _, body := range jsonSeeds {
		f.Add("application/json", []byte(body))
	}
	f.Add("application/json; charset=utf-8", []byte(`{"reason":"x"}`))
	f.Add("application/jsonx", []byte(`{"reason":"x"}`))
	f.Add("text/plain", []byte(`{"reason":"x"}`))
	f.Add("application/x-www-form-urlencoded", []byte("reason=x"))
	f.Add("", []byte(`{"reason":"x"}`))
	f.Add(`application/json; charset="`, []byte(`{}`))

	a := newHarness(f).app
	cat := loadCatalogues(f)
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		for _, r := range jsonReaders {
			v, err := r.read(a, contentType, body)
			v2, err2 := r.read(a, contentType, body)
			if diff := cmp.Diff(errorOf(err), errorOf(err2)); diff != "" {
				t.Errorf("%s: the same body read twice gave different errors (-first +second):\n%s", r.name, diff)
			}
			if err != nil {
				cat.checkRefusal(t, a, r.name, err)
				continue
			}
			if diff := cmp.Diff(v, v2, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s: the same body read twice gave different values (-first +second):\n%s", r.name, diff)
			}
			if r.roundTrip == nil {
				continue
			}
			b, err := r.roundTrip(v)
			if err != nil {
				t.Fatalf("%s: writing back %+v: %v", r.name, v, err)
			}
			back, err := r.read(a, "application/json", b)
			if err != nil {
				t.Errorf("%s: %s was read, but written back as %s it is refused: %v", r.name, body, b, err)
				continue
			}
			if diff := cmp.Diff(v, back, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s: written back as %s, the body reads differently (-first +again):\n%s", r.name, b, diff)
			}
		}
	})
}

// FuzzSaveSheet sends each body to the real app as the save of a sheet
// (PUT /api/v1/projects/:id/sheet) by a panel member, on a SQLite
// database of a campaign in scoring that each fuzzing process builds once.
// A literal @v in the body stands for the version stored, so that a save
// can succeed whatever earlier inputs left behind. Whatever the body: the
// status is below 500 and the answer matches the OpenAPI document; a
// refusal leaves the sheet and its history as they were; a save stores
// exactly what the body says, as the next version.
func FuzzSaveSheet(f *testing.F) {
	for _, body := range []string{
		`{"version":@v,` + fullSheet + `}`,
		`{"version":@v,` + otherSheet + `}`,
		`{"version":@v,"scores":{"A1":20},"opinion":"` + strings.Repeat("评", 5001) + `"}`,
		`{"version":@v,"scores":{"A1":25.5}}`,
		`{"version":@v,"scores":{"A1":22.3}}`,
		`{"version":@v,"scores":{"Z9":5},"opinion":"x"}`,
		`{"version":@v,"scores":{},"vetoes":[{"code":"V1","evidence":"x"},{"code":"V1","evidence":"y"}]}`,
		`{"version":@v,"scores":{},"vetoes":[{"code":"V9"}]}`,
		`{"version":@v,"scores":{"A1":20},"finance_pass":true}`,
		`{"version":@v,"comments":{"A1":"` + strings.Repeat("x", 2001) + `"}}`,
		`{"version":7,"scores":{}}`,
		`{"version":-1,"scores":{}}`,
		`{"version":"0","scores":{}}`,
		`{"version":@v,"scores":{"A1":NaN}}`,
		`{"version":@v,"opinion":"\xff\xfe"}`,
		`{"version":@v}{"version":@v}`,
		`[]`, ``,
	} {
		f.Add([]byte(body))
	}

	h := newHarness(f)
	s := h.scoringCampaign()
	h.openSheet(s, s.member)
	url := fmt.Sprintf("/api/v1/projects/%d/sheet", s.projectID)
	expertID := h.userOf(s.member).ExpertID
	rb := h.memberRubric(s)
	f.Fuzz(func(t *testing.T, body []byte) {
		h.t = t // the harness reports to this input's test
		ctx := context.Background()
		version := 0
		if sh, err := h.db.Sheet(ctx, s.projectID, expertID); err == nil {
			version = sh.Version
		} else if evaluation.ErrorCode(err) != evaluation.NotFound {
			t.Fatal(err)
		}
		body = []byte(strings.ReplaceAll(string(body), "@v", strconv.Itoa(version)))
		before := h.storedSheet(s, s.member)
		resp, answer := h.api(s.member, "PUT", url, string(body), "Content-Type", "application/json")
		switch {
		case resp.StatusCode >= 500:
			t.Fatalf("status %d for %q: %s", resp.StatusCode, body, answer)
		case resp.StatusCode >= 400:
			apiErr(t, answer)
			if h.storedSheet(s, s.member) != before {
				t.Errorf("a refused save (%d %s) changed the sheet", resp.StatusCode, answer)
			}
			return
		case resp.StatusCode != http.StatusOK:
			t.Fatalf("status %d for %q: %s", resp.StatusCode, body, answer)
		}
		_, want, err := readSheet("application/json", body)
		if err != nil {
			t.Fatalf("saved %q, which readSheet refuses: %v", body, err)
		}
		sh, err := h.db.Sheet(ctx, s.projectID, expertID)
		if err != nil {
			t.Fatal(err)
		}
		if sh.Version != version+1 {
			t.Errorf("saved version %d, want %d", sh.Version, version+1)
		}
		if diff := cmp.Diff(want, sh.Content, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("stored content differs from the body %q (-body +stored):\n%s", body, diff)
		}
		if ps := rb.CheckDraft(&sh.Content.Sheet); ps != nil {
			t.Errorf("stored a draft its rubric refuses: %v", ps)
		}
	})
}

// memberRubric is the rubric of the scoring campaign's technical sheets.
func (h *harness) memberRubric(s *scoring) *rubrics.Rubric {
	h.t.Helper()
	ctx := context.Background()
	c, err := h.svc.Campaigns.Campaign(ctx, h.users["staffa"].Actor(), s.campaignID)
	if err != nil {
		h.t.Fatal(err)
	}
	p, err := h.svc.Campaigns.Project(ctx, h.users["staffa"].Actor(), s.projectID)
	if err != nil {
		h.t.Fatal(err)
	}
	pin, ok := c.Settings.Rubrics[string(p.Class)]
	if !ok {
		h.t.Fatalf("no rubric pinned for %s", p.Class)
	}
	r, err := h.db.Rubric(ctx, pin.Code, pin.Version)
	if err != nil {
		h.t.Fatal(err)
	}
	if !slices.ContainsFunc(r.Content.Indicators, func(in rubrics.Indicator) bool { return in.Code == "A1" }) {
		h.t.Fatalf("the member's rubric %s has no A1; the seeds are for another rubric", r.Code)
	}
	return r.Content
}
