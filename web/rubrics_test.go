package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
)

// withRubrics installs the default rubrics as published version 1.
func (h *harness) withRubrics() {
	h.t.Helper()
	defaults, err := rubrics.Defaults()
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.svc.Rubrics.InstallDefaultRubrics(context.Background(), defaults); err != nil {
		h.t.Fatal(err)
	}
}

func TestRubricAPI(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()

	resp, body := h.api("expert", "GET", "/api/v1/rubrics", "")
	if resp.StatusCode != 200 || !strings.Contains(body, `"total":3`) {
		t.Fatalf("list: %d %s", resp.StatusCode, body)
	}
	resp, body = h.api("admin", "POST", "/api/v1/rubrics/APPLIED_TECH/versions", `{"from":1}`)
	if resp.StatusCode != http.StatusCreated || !strings.Contains(body, `"version":2`) || !strings.Contains(body, `"status":"draft"`) {
		t.Fatalf("new version: %d %s", resp.StatusCode, body)
	}
	if resp, _ := h.api("expert", "GET", "/api/v1/rubrics/APPLIED_TECH/2", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("expert reads a draft: %d, want 404", resp.StatusCode)
	}
	if resp, body := h.api("expert", "GET", "/api/v1/rubrics", ""); !strings.Contains(body, `"total":3`) {
		t.Errorf("expert's list shows a draft: %d %s", resp.StatusCode, body)
	}
	if resp, _ := h.api("staffa", "POST", "/api/v1/rubrics/APPLIED_TECH/versions", `{"from":1}`); resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff makes a version: %d, want 403", resp.StatusCode)
	}

	var v1 evaluation.Rubric
	_, body = h.api("admin", "GET", "/api/v1/rubrics/APPLIED_TECH/1", "")
	if err := json.Unmarshal([]byte(body), &v1); err != nil {
		t.Fatal(err)
	}
	content := func(edit func(r *rubrics.Rubric)) string {
		c := v1.Content.Clone()
		edit(c)
		b, _ := json.Marshal(c)
		return string(b)
	}
	renamed := content(func(r *rubrics.Rubric) { r.Name.EN = "Applied technology, 2027 edition" })
	to95 := content(func(r *rubrics.Rubric) {
		last := &r.Indicators[len(r.Indicators)-1]
		last.Max -= rubrics.Pts(5)
		last.Levels[len(last.Levels)-1].Max -= rubrics.Pts(5)
	})

	before := h.dump()
	resp, body = h.api("admin", "PUT", "/api/v1/rubrics/APPLIED_TECH/1", renamed)
	if resp.StatusCode != http.StatusConflict || apiErr(t, body).Code != "conflict" {
		t.Errorf("changing a published version: %d %s, want 409", resp.StatusCode, body)
	}
	resp, body = h.api("admin", "PUT", "/api/v1/rubrics/APPLIED_TECH/2", to95, "Accept-Language", "en")
	e := apiErr(t, body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(e.Fields["indicators.total"], "add up to 95") {
		t.Errorf("total 95: %d %s", resp.StatusCode, body)
	}
	resp, body = h.api("admin", "PUT", "/api/v1/rubrics/APPLIED_TECH/2", to95, "Accept-Language", "zh-CN")
	if e := apiErr(t, body); !strings.Contains(e.Fields["indicators.total"], "合计为 95") {
		t.Errorf("total 95 in Chinese: %s", body)
	}
	for name, bad := range map[string]string{
		"unknown field":   strings.Replace(renamed, `"code"`, `"colour":"red","code"`, 1),
		"string points":   strings.Replace(renamed, `"pass_line":60`, `"pass_line":"60"`, 1),
		"quarter points":  strings.Replace(renamed, `"pass_line":60`, `"pass_line":60.25`, 1),
		"changed code":    strings.Replace(renamed, `"code":"APPLIED_TECH"`, `"code":"OTHER"`, 1),
		"forbidden kind":  strings.Replace(renamed, `"kind":"innovation"`, `"kind":"paper_count"`, 1),
		"malformed":       renamed[:len(renamed)/2],
		"no vetoes":       content(func(r *rubrics.Rubric) { r.Vetoes = nil }),
		"level gap":       content(func(r *rubrics.Rubric) { r.Indicators[0].Levels[1].Min += rubrics.Half }),
		"nil-ish content": `null`,
	} {
		resp, body := h.api("admin", "PUT", "/api/v1/rubrics/APPLIED_TECH/2", bad)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", name, resp.StatusCode, body)
		}
	}
	if h.dump() != before {
		t.Fatalf("refused rubric changes changed the database")
	}

	if resp, body := h.api("admin", "PUT", "/api/v1/rubrics/APPLIED_TECH/2", renamed); resp.StatusCode != 200 || !strings.Contains(body, "2027 edition") {
		t.Fatalf("save draft: %d %s", resp.StatusCode, body)
	}
	if resp, body := h.api("admin", "POST", "/api/v1/rubrics/APPLIED_TECH/2/publish", ""); resp.StatusCode != 200 || !strings.Contains(body, `"status":"published"`) {
		t.Fatalf("publish: %d %s", resp.StatusCode, body)
	}
	if resp, _ := h.api("admin", "PUT", "/api/v1/rubrics/APPLIED_TECH/2", renamed); resp.StatusCode != http.StatusConflict {
		t.Errorf("changing the just-published version: %d, want 409", resp.StatusCode)
	}
	if resp, _ := h.api("admin", "DELETE", "/api/v1/rubrics/APPLIED_TECH/2", ""); resp.StatusCode != http.StatusConflict {
		t.Errorf("deleting a published version: %d, want 409", resp.StatusCode)
	}
	if _, body := h.api("expert", "GET", "/api/v1/rubrics/APPLIED_TECH/latest", ""); !strings.Contains(body, `"version":2`) {
		t.Errorf("latest is not v2: %s", body)
	}
	// The database itself refuses to change a published version.
	if _, err := h.db.SQL().Exec(`UPDATE rubrics SET content = '{}' WHERE code = 'APPLIED_TECH' AND version = 1`); err == nil {
		t.Errorf("the store let a published rubric change")
	}

	resp, body = h.api("admin", "POST", "/api/v1/rubrics/validate", strings.Replace(renamed, `"kind":"innovation"`, `"kind":"award"`, 1), "Accept-Language", "en")
	if resp.StatusCode != 200 || !strings.Contains(body, `"valid":false`) || !strings.Contains(body, "titles, honours, paper counts or awards") {
		t.Errorf("validate forbidden kind: %d %s", resp.StatusCode, body)
	}
}

func TestCheckSheet(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	r, err := h.svc.Rubrics.Rubric(context.Background(), evaluation.System, "APPLIED_TECH", 1)
	if err != nil {
		t.Fatal(err)
	}
	scores := []float64{17.5, 24.5, 22, 8.5, 13}
	sheet := map[string]any{"opinion": "总体完成任务书要求。", "scores": map[string]float64{}, "comments": map[string]string{}}
	for i, in := range r.Content.Indicators {
		sheet["scores"].(map[string]float64)[in.Code] = scores[i]
		sheet["comments"].(map[string]string)[in.Code] = "依据测试报告。"
	}
	b, _ := json.Marshal(sheet)
	resp, body := h.api("expert", "POST", "/api/v1/rubrics/APPLIED_TECH/1/check", string(b))
	if resp.StatusCode != 200 || !strings.Contains(body, `"total":85.5`) || !strings.Contains(body, `"grade":"good"`) {
		t.Fatalf("check: %d %s", resp.StatusCode, body)
	}
	first := r.Content.Indicators[0].Code
	bad := strings.Replace(string(b), `"`+first+`":17.5`, `"`+first+`":"17.5"`, 1)
	resp, body = h.api("expert", "POST", "/api/v1/rubrics/APPLIED_TECH/1/check", bad)
	if e := apiErr(t, body); resp.StatusCode != 400 || e.Fields["scores."+first] == "" {
		t.Errorf("string score: %d %s", resp.StatusCode, body)
	}
}

var (
	inputValue   = regexp.MustCompile(`<input[^>]*? name="([^"]+)"[^>]*? value="([^"]*)"`)
	textareaText = regexp.MustCompile(`(?s)<textarea[^>]*? name="([^"]+)"[^>]*>(.*?)</textarea>`)
	selectBlock  = regexp.MustCompile(`(?s)<select[^>]*? name="([^"]+)"[^>]*>(.*?)</select>`)
	selectedOpt  = regexp.MustCompile(`<option value="([^"]*)" selected>`)
)

// formValues reads the values of a page's form fields, as a browser would
// submit them (the CSRF token included).
func formValues(page string) url.Values {
	v := url.Values{}
	for _, m := range inputValue.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range textareaText.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range selectBlock.FindAllStringSubmatch(page, -1) {
		if o := selectedOpt.FindStringSubmatch(m[2]); o != nil {
			v.Set(m[1], o[1])
		}
	}
	return v
}

// TestRubricEditorUI goes through the editor as a browser would: a new
// version, structural edits, a refused save with the error beside the
// total, a fixed save, and publishing.
func TestRubricEditorUI(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	admin := h.browser()
	admin.login("admin")

	admin.get("/rubrics/APPLIED_TECH/1")
	resp, _ := admin.post("/rubrics/APPLIED_TECH/1/new-version", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/rubrics/APPLIED_TECH/2/edit" {
		t.Fatalf("new version: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page := admin.get("/rubrics/APPLIED_TECH/2/edit")
	form := formValues(page)
	if form.Get("indicators.4.max") != "15" || form.Get("indicators.0.levels.0.text.zh") == "" || form.Get("bands.0.grade") != "excellent" {
		t.Fatalf("editor does not show the rubric: %v", form)
	}

	form.Set("op", "add_indicator")
	_, page = admin.post("/rubrics/APPLIED_TECH/2/edit", form)
	if !strings.Contains(page, `id="ind-5"`) {
		t.Errorf("add_indicator did not add a sixth indicator")
	}
	form.Set("op", "up_indicator.4")
	_, page = admin.post("/rubrics/APPLIED_TECH/2/edit", form)
	moved := formValues(page)
	if moved.Get("indicators.3.max") != "15" || moved.Get("indicators.4.max") != "10" {
		t.Errorf("up_indicator.4: maxima now %q, %q", moved.Get("indicators.3.max"), moved.Get("indicators.4.max"))
	}

	// Weights adding up to 95: refused, error beside the total, nothing saved.
	before := h.dump()
	form.Set("op", "save")
	form.Set("indicators.4.max", "10")
	form.Set("indicators.4.levels.3.max", "10")
	resp, page = admin.post("/rubrics/APPLIED_TECH/2/edit", form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("save at 95: %d", resp.StatusCode)
	}
	if !regexp.MustCompile(`id="e-indicators.total"[^>]*>各指标满分合计为 95，须为 100`).MatchString(page) {
		t.Errorf("no error beside the total")
	}
	if got := formValues(page).Get("indicators.4.max"); got != "10" {
		t.Errorf("the refused form lost the user's value: %q", got)
	}
	if h.dump() != before {
		t.Fatalf("a refused save changed the database")
	}

	form.Set("indicators.4.max", "15")
	form.Set("indicators.4.levels.3.max", "15")
	form.Set("name.zh", "应用技术类项目综合绩效评价指标（2027 版）")
	if resp, page := admin.post("/rubrics/APPLIED_TECH/2/edit", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %.3000s", resp.StatusCode, page)
	}
	_, page = admin.get("/rubrics/APPLIED_TECH/2")
	if !strings.Contains(page, "2027 版") || !strings.Contains(page, "草稿") {
		t.Errorf("the saved draft page lacks the new name or the draft badge")
	}
	resp, _ = admin.post("/rubrics/APPLIED_TECH/2/publish", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", resp.StatusCode)
	}
	_, page = admin.get("/rubrics/APPLIED_TECH/2")
	if !strings.Contains(page, `id="rubric-status">已发布`) || strings.Contains(page, `id="edit-rubric"`) {
		t.Errorf("the published page does not show the status, or still offers editing")
	}
	if resp, _ := admin.get("/rubrics/APPLIED_TECH/2/edit"); resp.StatusCode != http.StatusConflict {
		t.Errorf("editing a published version: %d, want 409", resp.StatusCode)
	}
}
