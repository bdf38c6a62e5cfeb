package web

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestDashboardsShowCampaignProgress: an agency's staff see their agency's
// campaigns on the dashboard with counts equal to those the database holds
// and the next steps those counts call for (a scoring campaign with its
// sheets as SQL counts them), and not another agency's; the
// commission sees every agency's campaigns with their state.
func TestDashboardsShowCampaignProgress(t *testing.T) {
	s := newDemoSite(t)
	count := func(query string, args ...any) int {
		t.Helper()
		var n int
		if err := s.db.SQL().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return n
	}
	type counts struct{ projects, unpaneled, panels, proposed, inviting, confirmed int }
	inDB := func(c *evaluation.Campaign) counts {
		panels := func(state string) int {
			return count(`SELECT COUNT(*) FROM panels WHERE campaign_id = ? AND state = ?`, c.ID, state)
		}
		return counts{
			projects: count(`SELECT COUNT(*) FROM projects WHERE campaign_id = ?`, c.ID),
			unpaneled: count(`SELECT COUNT(*) FROM projects WHERE campaign_id = ?
				AND id NOT IN (SELECT project_id FROM panel_projects)`, c.ID),
			panels:   count(`SELECT COUNT(*) FROM panels WHERE campaign_id = ?`, c.ID),
			proposed: panels("forming"), inviting: panels("inviting"), confirmed: panels("confirmed"),
		}
	}
	sstpc, shtis := s.campaigns["SSTPC"], s.campaigns["SHTIS"]
	want := inDB(sstpc)
	if want.projects == 0 || want.unpaneled == 0 || want.panels == 0 || want.proposed == 0 || want.inviting == 0 {
		t.Fatalf("the demo's forming campaign lacks what the test reads: %+v", want)
	}

	br := s.browser()
	br.login("sstpc-li")
	_, page := br.get("/")
	card := regexp.MustCompile(fmt.Sprintf(`(?s)id="campaign-%d".*?</div>`, sstpc.ID)).FindString(page)
	if card == "" {
		t.Fatalf("the staff dashboard does not show the agency's campaign: %s", visibleText(page))
	}
	number := func(re string) int {
		t.Helper()
		m := regexp.MustCompile(re).FindStringSubmatch(card)
		if m == nil {
			t.Fatalf("the campaign's card lacks %s: %s", re, card)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	got := counts{
		projects:  number(fmt.Sprintf(`id="campaign-%d-projects">(\d+)<`, sstpc.ID)),
		panels:    number(`data-panels="(\d+)"`),
		confirmed: number(`data-confirmed="(\d+)"`),
	}
	if got.projects != want.projects || got.panels != want.panels || got.confirmed != want.confirmed {
		t.Errorf("dashboard counts %+v, database %+v", got, want)
	}
	text := visibleText(card)
	for _, step := range []string{
		fmt.Sprintf("%d 个项目还没有专家组：抽取或匹配", want.unpaneled),
		fmt.Sprintf("%d 个专家组待审核并发出邀请", want.proposed),
		fmt.Sprintf("%d 个专家组等待专家答复", want.inviting),
		fmt.Sprintf("%d 个尚无专家组", want.unpaneled),
	} {
		if !strings.Contains(text, step) {
			t.Errorf("the card lacks %q: %s", step, text)
		}
	}
	if !strings.Contains(card, fmt.Sprintf(`href="/campaigns/%d?panel=without#projects"`, sstpc.ID)) {
		t.Errorf("the unpaneled projects step does not link to them")
	}
	if strings.Contains(page, "暂无评价批次") || strings.Contains(page, fmt.Sprintf(`id="campaign-%d"`, shtis.ID)) {
		t.Errorf("the staff dashboard says there are no campaigns, or shows another agency's")
	}

	// The other agency's campaign is scoring.
	other := s.browser()
	other.login("shtis-huang")
	_, page = other.get("/")
	if text := visibleText(page); !strings.Contains(text, "专家评分中，截止 "+shtis.Settings.ScoringDue) ||
		!strings.Contains(text, fmt.Sprintf("共 %d 个，已确认 %d 个", inDB(shtis).panels, inDB(shtis).confirmed)) {
		t.Errorf("the scoring campaign's card: %s", text)
	}

	// Its sheets, as SQL counts them on the database file, with a link
	// to the progress monitor.
	sheets, _, overdue := progressInDB(t, s.db.SQL(), shtis.ID, s.now)
	wantSheets := fmt.Sprintf(`id="campaign-%d-sheets" data-submitted="%d" data-expected="%d" data-overdue="%d"`, shtis.ID, sheets.Submitted, sheets.Expected, overdue)
	if sheets.Expected == 0 || !strings.Contains(page, wantSheets) {
		t.Errorf("the scoring campaign's card lacks %s: %s", wantSheets, section(page, fmt.Sprintf(`id="campaign-%d"`, shtis.ID), "</dl>"))
	}
	if !strings.Contains(visibleText(page), fmt.Sprintf("已提交 %d/%d · %d%%", sheets.Submitted, sheets.Expected, sheets.Submitted*100/sheets.Expected)) ||
		!strings.Contains(page, fmt.Sprintf(`id="campaign-%d-progress"`, shtis.ID)) {
		t.Errorf("the scoring campaign's card does not say how far its sheets are, or has no link to the progress")
	}

	// The commission sees both agencies' campaigns and their states, and
	// how far the scoring one's sheets are.
	com := s.browser()
	com.login("commission")
	_, page = com.get("/")
	if want := fmt.Sprintf(`id="campaign-%d-sheets" data-submitted="%d" data-expected="%d"`, shtis.ID, sheets.Submitted, sheets.Expected); !strings.Contains(page, want) {
		t.Errorf("the commission's dashboard lacks %s", want)
	}
	text = visibleText(page)
	for _, w := range []string{"上海市科技项目评估中心", sstpc.Name, "组建专家组", "上海市科技创新服务中心", shtis.Name, "专家评分"} {
		if !strings.Contains(text, w) {
			t.Errorf("the commission's dashboard lacks %q", w)
		}
	}
}

// TestNextSteps: what the dashboard says a campaign needs next follows
// its state and counts.
func TestNextSteps(t *testing.T) {
	h := newHarness(t)
	camp := func(state evaluation.CampaignState) *evaluation.Campaign {
		c := &evaluation.Campaign{ID: 7, State: state, Settings: evaluation.DefaultCampaignSettings()}
		c.Settings.ScoringDue = "2026-12-20"
		return c
	}
	scoring := evaluation.CampaignProgress{Campaign: camp(evaluation.CampaignScoring), Projects: 4, Panels: 4, Confirmed: 4}
	for _, tc := range []struct {
		name   string
		p      evaluation.CampaignProgress
		sheets *sheetsSummary
		want   []string
	}{
		{"empty draft", evaluation.CampaignProgress{Campaign: camp(evaluation.CampaignDraft)}, nil, []string{"还没有项目：添加或导入项目"}},
		{"draft", evaluation.CampaignProgress{Campaign: camp(evaluation.CampaignDraft), Projects: 3}, nil, []string{"已有 3 个项目：准备好后进入专家组组建"}},
		{"forming", evaluation.CampaignProgress{Campaign: camp(evaluation.CampaignForming), Projects: 12, Unpaneled: 3, Panels: 5,
			Proposed: 2, Inviting: 2, Confirmed: 1, Unconfirmed: 11}, nil,
			[]string{"3 个项目还没有专家组：抽取或匹配", "2 个专家组待审核并发出邀请", "2 个专家组等待专家答复"}},
		{"ready", evaluation.CampaignProgress{Campaign: camp(evaluation.CampaignForming), Projects: 4, Panels: 4, Confirmed: 4}, nil,
			[]string{"专家组已全部确认：可以开始专家评分"}},
		{"scoring", scoring, nil, []string{"专家评分中，截止 2026-12-20"}},
		{"scoring under way", scoring, &sheetsSummary{ProgressCounts: evaluation.ProgressCounts{Expected: 24, Submitted: 10, Draft: 4, NotStarted: 10}},
			[]string{"专家评分中，截止 2026-12-20"}},
		{"scoring overdue", scoring, &sheetsSummary{ProgressCounts: evaluation.ProgressCounts{Expected: 24, Submitted: 10, NotStarted: 14, Overdue: 14}, OverdueMembers: 3},
			[]string{"专家评分中，截止 2026-12-20", "3 位专家逾期未提交：发送提醒或延长截止日期"}},
		{"every sheet in", scoring, &sheetsSummary{ProgressCounts: evaluation.ProgressCounts{Expected: 24, Submitted: 24}},
			[]string{"专家评分中，截止 2026-12-20", "评分表已全部提交：可以进入结论汇总"}},
		{"closed", evaluation.CampaignProgress{Campaign: camp(evaluation.CampaignClosed), Projects: 4}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, s := range h.app.nextSteps(evaluation.LangZH, &tc.p, tc.sheets) {
				got = append(got, s.Text)
				if !strings.HasPrefix(s.Href, "/campaigns/7") {
					t.Errorf("step %q links to %s", s.Text, s.Href)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("next steps %q, want %q", got, tc.want)
			}
		})
	}
}
