package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The divergence limits on the campaign form, in both languages: the
// defaults shown with their help, a bad value refused beside its field
// with nothing created, half points kept and shown on the campaign page
// and on the form again.
func TestDivergenceLimitsForm(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	staff := h.browser()
	staff.login("staffa")
	for _, lang := range []struct {
		lang        evaluation.Language
		label, help string
	}{
		{evaluation.LangZH, "极差阈值（分）", "默认 20 分"},
		{evaluation.LangEN, "Range limit (points)", "Default 20."},
	} {
		staff.post("/lang", formOf("lang", string(lang.lang), "next", "/"))
		_, page := staff.get("/campaigns/new")
		form := formValues(page)
		if form.Get("divergence_range") != "20" || form.Get("divergence_distance") != "15" {
			t.Errorf("%s: the new form's limits = %q and %q, want 20 and 15", lang.lang, form.Get("divergence_range"), form.Get("divergence_distance"))
		}
		if text := visibleText(page); !strings.Contains(text, lang.label) || !strings.Contains(text, lang.help) {
			t.Errorf("%s: the form lacks %q with its help %q", lang.lang, lang.label, lang.help)
		}
	}
	staff.post("/lang", formOf("lang", "zh-CN", "next", "/"))

	_, page := staff.get("/campaigns/new")
	form := formValues(page)
	form.Set("name", "2026 年度第三批综合绩效评价")
	for _, tc := range []struct {
		name, field, value, want string
	}{
		{"not a number", "divergence_range", "二十", "应为数字"},
		{"not a half point", "divergence_range", "17.3", "0.5 的整数倍"},
		{"above 100", "divergence_distance", "101", "1 到 100 分之间"},
		{"below 1", "divergence_distance", "0.5", "1 到 100 分之间"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := formValues(page)
			bad.Set("name", "x")
			bad.Set(tc.field, tc.value)
			before := h.dump()
			resp, got := staff.post("/campaigns", bad)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(got, `id="e-`+tc.field+`"`) || !strings.Contains(visibleText(got), tc.want) {
				t.Errorf("status %d, want 400 with %q beside %s", resp.StatusCode, tc.want, tc.field)
			}
			if h.dump() != before {
				t.Error("a refused form changed the database")
			}
		})
	}
	form.Set("divergence_range", "17.5")
	form.Set("divergence_distance", "12")
	resp, _ := staff.post("/campaigns", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	campaignURL := resp.Header.Get("Location")
	if _, page := staff.get(campaignURL); !strings.Contains(page, `id="divergence-limits">极差超过 17.5 分或偏离中位数超过 12 分`) {
		t.Error("the campaign page does not show the limits")
	}
	_, page = staff.get(campaignURL + "/edit")
	if f := formValues(page); f.Get("divergence_range") != "17.5" || f.Get("divergence_distance") != "12" {
		t.Errorf("the edit form's limits = %q and %q, want 17.5 and 12", f.Get("divergence_range"), f.Get("divergence_distance"))
	}
}

// The limits through the API: kept in half points, refused out of range
// or between half points, left out they are the defaults.
func TestDivergenceLimitsAPI(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	settings := func(rangeLimit, distance string) string {
		b, err := json.Marshal(evaluation.DefaultCampaignSettings())
		if err != nil {
			t.Fatal(err)
		}
		s := strings.Replace(string(b), `"divergence_range":20`, `"divergence_range":`+rangeLimit, 1)
		return strings.Replace(s, `"divergence_distance":15`, `"divergence_distance":`+distance, 1)
	}
	body := func(s string) string {
		return `{"name":"2026 年度第一批综合绩效评价","year":2026,"settings":` + s + `}`
	}
	created := h.run(t, scenario{as: "staffa", method: "POST", url: "/api/v1/campaigns", body: body(settings("12.5", "10")), status: 201,
		contains: []string{`"divergence_range":12.5`, `"divergence_distance":10`}})
	var c evaluation.Campaign
	h.decode(created, &c)
	h.run(t, scenario{as: "staffa", method: "POST", url: "/api/v1/campaigns", body: `{"name":"默认","year":2026}`, status: 201,
		contains: []string{`"divergence_range":20`, `"divergence_distance":15`}})
	h.warmTokens()
	for _, sc := range []scenario{
		{name: "between half points", as: "staffa", method: "PATCH", url: fmt.Sprintf("/api/v1/campaigns/%d", c.ID), body: body(settings("12.25", "10")),
			status: 400, code: evaluation.Invalid, fields: []string{"settings.divergence_range"}},
		{name: "above 100", as: "staffa", method: "PATCH", url: fmt.Sprintf("/api/v1/campaigns/%d", c.ID), body: body(settings("12.5", "100.5")),
			status: 400, code: evaluation.Invalid, fields: []string{"settings.divergence_distance"}},
		{name: "a string", as: "staffa", method: "PATCH", url: fmt.Sprintf("/api/v1/campaigns/%d", c.ID), body: body(settings(`"20"`, "10")),
			status: 400, code: evaluation.Invalid, fields: []string{"settings.divergence_range"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			before := h.dump()
			h.run(t, sc)
			if h.dump() != before {
				t.Error("a refused request changed the database")
			}
		})
	}
	// Changed without the limits: they stay.
	noLimits := strings.NewReplacer(`,"divergence_range":20`, "", `,"divergence_distance":15`, "").Replace(settings("20", "15"))
	h.run(t, scenario{as: "staffa", method: "PATCH", url: fmt.Sprintf("/api/v1/campaigns/%d", c.ID), body: body(noLimits), status: 200,
		contains: []string{`"divergence_range":12.5`, `"divergence_distance":10`}})
}

// The results page explains the divergence flag with the campaign's
// limits, in both languages.
func TestResultsPageShowsDivergenceLimits(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	staff := h.browser()
	staff.login("staffa")
	for _, lang := range []struct {
		lang evaluation.Language
		want string
	}{
		{evaluation.LangZH, "技术评分总分极差超过 20 分，或任一总分偏离各总分中位数超过 15 分"},
		{evaluation.LangEN, "range over 20 points, or one is more than 15 points from their median"},
	} {
		staff.post("/lang", formOf("lang", string(lang.lang), "next", "/"))
		_, page := staff.get(fmt.Sprintf("/campaigns/%d/results", s.campaignID))
		if !strings.Contains(page, `id="divergence-help"`) || !strings.Contains(visibleText(page), lang.want) {
			t.Errorf("%s: the results page does not explain the limits with %q", lang.lang, lang.want)
		}
	}
}
