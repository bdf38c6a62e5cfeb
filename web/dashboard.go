package web

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
)

// campaignCard is a campaign on a dashboard: its progress, its agency's
// name, and the next steps, each with the page where it is done.
type campaignCard struct {
	*evaluation.CampaignProgress
	Agency string
	// Sheets is how far a scoring campaign's sheets are, nil for a
	// campaign in any other state.
	Sheets *sheetsSummary
	Next   []nextStep
}

// sheetsSummary is a scoring campaign's sheets on a dashboard: the
// counts of the progress monitor and how many members are overdue.
type sheetsSummary struct {
	evaluation.ProgressCounts
	OverdueMembers int
}

// nextStep is something to do next in a campaign, in words, with a link.
type nextStep struct {
	Text, Href string
	// Ready marks a step the campaign is ready for, not a task left.
	Ready bool
}

// campaignCards lists the campaigns the user may see with their progress
// and next steps, newest first.
func (a *App) campaignCards(c *fiber.Ctx) ([]campaignCard, error) {
	ctx, act := c.UserContext(), actor(c)
	list, err := a.campaigns.CampaignsProgress(ctx, act, evaluation.CampaignFilter{})
	if err != nil {
		return nil, err
	}
	agencies, err := a.accounts.Agencies(ctx, act)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, ag := range agencies {
		names[ag.ID] = ag.NameZH
		if langOf(c) == evaluation.LangEN && ag.NameEN != "" {
			names[ag.ID] = ag.NameEN
		}
	}
	cards := make([]campaignCard, len(list))
	for i, p := range list {
		cards[i] = campaignCard{CampaignProgress: p, Agency: names[p.Campaign.AgencyID]}
		if p.Campaign.State == evaluation.CampaignScoring {
			// The counts cover every panel; one panel's matrix is
			// the least a page of the monitor can hold.
			pr, err := a.sheets.Progress(ctx, act, p.Campaign.ID, evaluation.ProgressFilter{Page: evaluation.Page{Number: 1, Size: 1}})
			if err != nil {
				return nil, err
			}
			cards[i].Sheets = &sheetsSummary{ProgressCounts: pr.Counts, OverdueMembers: len(pr.Overdue)}
		}
		if act.Role == evaluation.RoleCommission {
			cards[i].Next = a.commissionSteps(langOf(c), p)
		} else {
			cards[i].Next = a.nextSteps(langOf(c), p, cards[i].Sheets)
		}
	}
	if act.Role == evaluation.RoleCommission {
		// What waits for the commission comes first.
		slices.SortStableFunc(cards, func(x, y campaignCard) int {
			return cmp.Compare(boolInt(!waitsForCommission(x)), boolInt(!waitsForCommission(y)))
		})
	}
	return cards, nil
}

// waitsForCommission reports whether the card's campaign waits for the
// commission: a submitted campaign to review, a published one with an
// appeal to settle or ready to close.
func waitsForCommission(card campaignCard) bool {
	for _, n := range card.Next {
		if n.Ready {
			return true
		}
	}
	return false
}

// commissionSteps says what a campaign needs of the commission: the
// review of a submitted campaign, the appeals of a published one, and its
// close once the publicity is over.
func (a *App) commissionSteps(lang evaluation.Language, p *evaluation.CampaignProgress) []nextStep {
	id := p.Campaign.ID
	switch p.Campaign.State {
	case evaluation.CampaignSubmitted:
		return []nextStep{{Text: a.tr.T(lang, "dashboard.next_review"), Href: fmt.Sprintf("/campaigns/%d/results", id), Ready: true}}
	case evaluation.CampaignReturned:
		return []nextStep{{Text: a.tr.T(lang, "dashboard.next_returned"), Href: fmt.Sprintf("/campaigns/%d/results#review", id)}}
	case evaluation.CampaignPublished:
		switch {
		case p.OpenAppeals > 0:
			return []nextStep{{Text: a.tr.T(lang, "dashboard.next_appeals", "Count", p.OpenAppeals), Href: fmt.Sprintf("/campaigns/%d#appeals", id), Ready: true}}
		case evaluation.PastDue(p.PublicityEnds, a.cfg.Now()):
			return []nextStep{{Text: a.tr.T(lang, "dashboard.next_close"), Href: fmt.Sprintf("/campaigns/%d#moves", id), Ready: true}}
		}
		return []nextStep{{Text: a.tr.T(lang, "dashboard.next_publicity_until", "Ends", p.PublicityEnds), Href: fmt.Sprintf("/campaigns/%d#publicity", id)}}
	}
	return nil
}

// nextSteps says what a campaign needs next, for its agency's staff;
// sheets is how far a scoring campaign's sheets are.
func (a *App) nextSteps(lang evaluation.Language, p *evaluation.CampaignProgress, sheets *sheetsSummary) []nextStep {
	campaign := fmt.Sprintf("/campaigns/%d", p.Campaign.ID)
	var out []nextStep
	add := func(href, id string, data ...any) {
		out = append(out, nextStep{Text: a.tr.T(lang, id, data...), Href: href})
	}
	switch p.Campaign.State {
	case evaluation.CampaignDraft:
		if p.Projects == 0 {
			add(campaign+"#projects", "dashboard.next_add_projects")
		} else {
			add(campaign+"#moves", "dashboard.next_start_forming", "Count", p.Projects)
		}
	case evaluation.CampaignForming:
		if p.Unpaneled > 0 {
			add(campaign+"?panel=without#projects", "dashboard.next_unpaneled", "Count", p.Unpaneled)
		}
		if p.Proposed > 0 {
			add(campaign+"#panels", "dashboard.next_proposed", "Count", p.Proposed)
		}
		if p.Inviting > 0 {
			add(campaign+"#panels", "dashboard.next_inviting", "Count", p.Inviting)
		}
		if p.ReadyForScoring() {
			out = append(out, nextStep{Text: a.tr.T(lang, "dashboard.next_ready_for_scoring"), Href: campaign + "#moves", Ready: true})
		}
	case evaluation.CampaignScoring:
		if due := p.Campaign.Settings.ScoringDue; due != "" {
			add(campaign+"/progress", "dashboard.next_scoring_due", "Due", due)
		} else {
			add(campaign+"/progress", "dashboard.next_scoring")
		}
		switch {
		case sheets == nil:
		case sheets.OverdueMembers > 0:
			add(campaign+"/progress#overdue", "dashboard.next_overdue", "Count", sheets.OverdueMembers)
		case sheets.Expected > 0 && sheets.Submitted == sheets.Expected:
			out = append(out, nextStep{Text: a.tr.T(lang, "dashboard.next_all_submitted"), Href: campaign + "#moves", Ready: true})
		}
	case evaluation.CampaignConcluding:
		add(campaign+"/results", "dashboard.next_conclude")
	case evaluation.CampaignReturned:
		add(campaign+"/results#review", "dashboard.next_answer_returns")
	}
	return out
}
