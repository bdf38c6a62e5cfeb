package web

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/assign"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// recordServices are the calls behind the expert records (专家信用记录),
// which only administrators and the commission read.
type recordServices interface {
	ExpertRecords(ctx context.Context, actor evaluation.Actor, expertID int64) ([]*evaluation.ExpertRecord, error)
	CampaignExpertRecords(ctx context.Context, actor evaluation.Actor, campaignID int64) ([]*evaluation.ExpertRecord, error)
	Summaries(ctx context.Context, actor evaluation.Actor, f evaluation.ExpertRecordFilter) ([]*evaluation.ExpertRecordSummary, int, error)
}

// recordRoutes: the records list across experts, and the API. An expert's
// own records are a section of their pool page (showExpert).
func (a *App) recordRoutes() {
	read := rbac.Read("expert_record")
	a.route(get, "/experts/records", read, a.recordsPage)
	a.route(get, "/api/v1/expert-records", read, a.apiRecordSummaries)
	a.route(get, "/api/v1/experts/:id/records", read, a.apiExpertRecords)
	a.route(get, "/api/v1/campaigns/:id/expert-records", read, a.apiCampaignExpertRecords)
}

// recordFilter reads the records list's query: q, deferred, sort, page.
func recordFilter(c *fiber.Ctx) (evaluation.ExpertRecordFilter, error) {
	f := evaluation.ExpertRecordFilter{Query: strings.TrimSpace(c.Query("q")), Sort: c.Query("sort", "name")}
	fe := evaluation.FieldErrors{}
	f.Page = pageParams(c, fe)
	switch c.Query("deferred") {
	case "", "false":
	case "true":
		f.Deferred = true
	default:
		fe.Add("deferred", "error.deferred_filter")
	}
	return f, filterError(fe, &f)
}

// recordsData is the records list page.
type recordsData struct {
	Records  []*evaluation.ExpertRecordSummary
	Pager    *pager
	Filter   evaluation.ExpertRecordFilter
	Filtered bool
	// Deferral is each listed expert's draw preference code, by expert.
	Deferral map[int64]string
}

func (a *App) recordsPage(c *fiber.Ctx) error {
	f, err := recordFilter(c)
	if err != nil {
		return err
	}
	list, total, err := a.records.Summaries(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	d := recordsData{Records: list, Pager: newPager(c, f.Page, total, f.Sort), Filter: f,
		Filtered: f.Query != "" || f.Deferred, Deferral: map[int64]string{}}
	for _, s := range list {
		if code, ok := evaluation.DeferralOf(s); ok {
			d.Deferral[s.ExpertID] = code
		}
	}
	return a.render(c, "records", a.T(c, "records.title"), d)
}

func (a *App) apiRecordSummaries(c *fiber.Ctx) error {
	f, err := recordFilter(c)
	if err != nil {
		return err
	}
	list, total, err := a.records.Summaries(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(newList(list, total, f.Page))
}

func (a *App) apiExpertRecords(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.records.ExpertRecords(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*evaluation.ExpertRecord{}
	}
	return c.JSON(fiber.Map{"records": list})
}

func (a *App) apiCampaignExpertRecords(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.records.CampaignExpertRecords(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*evaluation.ExpertRecord{}
	}
	return c.JSON(fiber.Map{"records": list})
}

// Percent prints a share as a whole percentage ("75%"), "—" for none.
func (p *page) Percent(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(math.Round(*v*100), 'f', 0, 64) + "%"
}

// Leniency prints a bias in points with its sign ("+1.25", "−0.50"), "—"
// for none.
func (p *page) Leniency(v *float64) string {
	if v == nil {
		return "—"
	}
	x := math.Round(*v*100) / 100
	switch {
	case x > 0:
		return "+" + strconv.FormatFloat(x, 'f', 2, 64)
	case x < 0:
		return "−" + strconv.FormatFloat(-x, 'f', 2, 64)
	}
	return "0.00"
}

// deferredMember is a panel's member or alternate whom its draw placed
// after the other eligible experts, and why.
type deferredMember struct {
	Name   string
	Reason assign.Deferral
}

// drawDeferrals reads the deferrals from a panel's draw records (a match
// has none): the panel's members and alternates by name, and how many
// other experts of the pool were deferred.
func drawDeferrals(p *evaluation.Panel, draws []*evaluation.DrawRecord) ([]deferredMember, int) {
	var out []deferredMember
	others := 0
	for _, rec := range draws {
		if rec.Kind != "draw" {
			continue
		}
		var res assign.DrawResult
		if err := json.Unmarshal([]byte(rec.Result), &res); err != nil {
			continue
		}
		for _, d := range res.Deferred {
			m, ok := p.MemberOf(d.ExpertID)
			if !ok || m.Expert == nil {
				others++
				continue
			}
			out = append(out, deferredMember{Name: m.Expert.Name, Reason: d.Reason})
		}
	}
	return out, others
}

// Deferral says why a draw placed an expert after the others, in the
// page's language.
func (p *page) Deferral(d assign.Deferral) string {
	switch d.Code {
	case evaluation.DeferralOnTime:
		rate := float64(d.OnTime) / float64(max(d.Assigned, 1))
		return p.T("records.drawn_after_on_time", "Rate", p.Percent(&rate), "Sheets", d.Assigned)
	case evaluation.DeferralDeclines:
		return p.T("records.drawn_after_declines", "Declines", d.Declines)
	}
	return p.T("records.drawn_after")
}
