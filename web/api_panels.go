package web

import (
	"context"
	"fmt"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// panelServices are the calls behind panel forming and invitations.
type panelServices interface {
	Panels(ctx context.Context, actor evaluation.Actor, campaignID int64) ([]*evaluation.Panel, error)
	Panel(ctx context.Context, actor evaluation.Actor, id int64) (*evaluation.Panel, error)
	DrawPanel(ctx context.Context, actor evaluation.Actor, campaignID int64, projectIDs []int64, seed string) (*evaluation.Panel, error)
	MatchCampaign(ctx context.Context, actor evaluation.Actor, campaignID int64, seed string) ([]*evaluation.Panel, error)
	PanelDraws(ctx context.Context, actor evaluation.Actor, panelID int64) ([]*evaluation.DrawRecord, error)
	PanelExclusions(ctx context.Context, actor evaluation.Actor, panelID int64) ([]evaluation.Exclusion, error)
	CheckReplacement(ctx context.Context, actor evaluation.Actor, panelID, memberID, expertID int64) (evaluation.CheckResult, error)
	ReplaceMember(ctx context.Context, actor evaluation.Actor, panelID, memberID, expertID int64, reason string) (evaluation.CheckResult, error)
	CheckCandidates(ctx context.Context, actor evaluation.Actor, panelID int64, target evaluation.SeatTarget, expertIDs []int64) ([]evaluation.CandidateCheck, error)
	FillVacancy(ctx context.Context, actor evaluation.Actor, panelID int64, seat evaluation.Seat, expertID int64, reason string) (evaluation.CheckResult, error)
	SetChair(ctx context.Context, actor evaluation.Actor, panelID, memberID int64) error
	InvitePanel(ctx context.Context, actor evaluation.Actor, panelID int64) error
	Vacancies(ctx context.Context, actor evaluation.Actor, p *evaluation.Panel) (map[evaluation.Seat]int, error)
	Replaceable(ctx context.Context, actor evaluation.Actor, p *evaluation.Panel) (map[int64]bool, error)
	Invitations(ctx context.Context, actor evaluation.Actor) ([]evaluation.Invitation, error)
	InvitedProjects(ctx context.Context, actor evaluation.Actor, expertID int64) ([]evaluation.InvitedProject, error)
	RespondToInvitation(ctx context.Context, actor evaluation.Actor, memberID int64, accept bool, reason string) (evaluation.Answer, error)
}

// panelRoutes: drawing, matching and changing panels, invitations.
func (a *App) panelRoutes() {
	read, write := rbac.Read("panel"), rbac.Write("panel")
	answer := rbac.Permission{Object: "invitation", Action: "answer"}

	a.route(post, "/campaigns/:id/draw", write, a.panelDrawForm)
	a.route(post, "/campaigns/:id/match", write, a.panelMatchForm)
	a.route(get, "/panels/:id", read, a.panelPage)
	a.route(post, "/panels/:id/members/:member/replace", write, a.panelReplaceForm)
	a.route(post, "/panels/:id/vacancies/:seat/fill", write, a.panelFillForm)
	a.route(post, "/panels/:id/members/:member/chair", write, a.panelChairForm)
	a.route(post, "/panels/:id/invite", write, a.panelInviteForm)
	a.route(post, "/invitations/:member/accept", answer, a.invitationAcceptForm)
	a.route(post, "/invitations/:member/decline", answer, a.invitationDeclineForm)

	a.route(get, "/api/v1/campaigns/:id/panels", read, a.apiPanels)
	a.route(post, "/api/v1/campaigns/:id/panels/draw", write, a.apiDrawPanel)
	a.route(post, "/api/v1/campaigns/:id/panels/match", write, a.apiMatch)
	a.route(get, "/api/v1/panels/:id", read, a.apiPanel)
	a.route(get, "/api/v1/panels/:id/draws", read, a.apiPanelDraws)
	a.route(get, "/api/v1/panels/:id/exclusions", read, a.apiPanelExclusions)
	a.route(post, "/api/v1/panels/:id/members/:member/check", write, a.apiCheckReplacement)
	a.route(post, "/api/v1/panels/:id/members/:member/replace", write, a.apiReplaceMember)
	a.route(post, "/api/v1/panels/:id/vacancies/:seat/fill", write, a.apiFillVacancy)
	a.route(post, "/api/v1/panels/:id/candidates/check", write, a.apiCheckCandidates)
	a.route(post, "/api/v1/panels/:id/members/:member/chair", write, a.apiSetChair)
	a.route(post, "/api/v1/panels/:id/invite", write, a.apiInvite)
	a.route(get, "/api/v1/invitations", rbac.Read("invitation"), a.apiInvitations)
	a.route(post, "/api/v1/invitations/:member/accept", answer, a.apiAcceptInvitation)
	a.route(post, "/api/v1/invitations/:member/decline", answer, a.apiDeclineInvitation)
}

func (a *App) apiPanels(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.panels.Panels(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

type drawRequest struct {
	Projects []int64 `json:"projects" validate:"required,min=1,max=20,dive,gt=0"`
	Seed     string  `json:"seed" validate:"omitempty,len=64,hexadecimal,lowercase"`
}

func (a *App) apiDrawPanel(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req drawRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	p, err := a.panels.DrawPanel(c.UserContext(), actor(c), id, req.Projects, req.Seed)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

type matchRequest struct {
	Seed string `json:"seed" validate:"omitempty,len=64,hexadecimal,lowercase"`
}

func (a *App) apiMatch(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req matchRequest
	if len(c.Body()) > 0 {
		if err := a.decodeJSON(c, &req); err != nil {
			return err
		}
	}
	list, err := a.panels.MatchCampaign(c.UserContext(), actor(c), id, req.Seed)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(wholeList(list))
}

func (a *App) loadPanel(c *fiber.Ctx) (*evaluation.Panel, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return a.panels.Panel(c.UserContext(), actor(c), id)
}

func (a *App) apiPanel(c *fiber.Ctx) error {
	p, err := a.loadPanel(c)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (a *App) apiPanelDraws(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.panels.PanelDraws(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

func (a *App) apiPanelExclusions(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.panels.PanelExclusions(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

type replaceRequest struct {
	ExpertID int64  `json:"expert_id" form:"expert_id" validate:"required,gt=0"`
	Reason   string `json:"reason" form:"reason" validate:"max=2000"`
}

func memberParams(c *fiber.Ctx) (panelID, memberID int64, err error) {
	return paramIDs(c, "id", "member")
}

func (a *App) apiCheckReplacement(c *fiber.Ctx) error {
	panelID, memberID, err := memberParams(c)
	if err != nil {
		return err
	}
	var req replaceRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	res, err := a.panels.CheckReplacement(c.UserContext(), actor(c), panelID, memberID, req.ExpertID)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (a *App) apiReplaceMember(c *fiber.Ctx) error {
	panelID, memberID, err := memberParams(c)
	if err != nil {
		return err
	}
	var req replaceRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	if _, err := a.panels.ReplaceMember(c.UserContext(), actor(c), panelID, memberID, req.ExpertID, req.Reason); err != nil {
		return err
	}
	return a.changedPanel(c, panelID)
}

// changedPanel answers a change of a panel with the panel as it is now.
func (a *App) changedPanel(c *fiber.Ctx, panelID int64) error {
	p, err := a.panels.Panel(c.UserContext(), actor(c), panelID)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (a *App) apiFillVacancy(c *fiber.Ctx) error {
	panelID, err := paramID(c, "id")
	if err != nil {
		return err
	}
	seat := evaluation.Seat(strings.Clone(c.Params("seat")))
	var req replaceRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	if _, err := a.panels.FillVacancy(c.UserContext(), actor(c), panelID, seat, req.ExpertID, req.Reason); err != nil {
		return err
	}
	return a.changedPanel(c, panelID)
}

// candidatesRequest names the seat to check experts for: a member's, or a
// vacant seat of a group.
type candidatesRequest struct {
	MemberID  int64   `json:"member_id" validate:"omitempty,gt=0"`
	Seat      string  `json:"seat" validate:"omitempty,max=16"`
	ExpertIDs []int64 `json:"expert_ids" validate:"required,min=1,max=200,dive,gt=0"`
}

func (a *App) apiCheckCandidates(c *fiber.Ctx) error {
	panelID, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req candidatesRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	checks, err := a.panels.CheckCandidates(c.UserContext(), actor(c), panelID,
		evaluation.SeatTarget{MemberID: req.MemberID, Seat: evaluation.Seat(req.Seat)}, req.ExpertIDs)
	if err != nil {
		return err
	}
	return c.JSON(wholeList(checks))
}

func (a *App) apiSetChair(c *fiber.Ctx) error {
	panelID, memberID, err := memberParams(c)
	if err != nil {
		return err
	}
	if err := a.panels.SetChair(c.UserContext(), actor(c), panelID, memberID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) apiInvite(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.panels.InvitePanel(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	p, err := a.panels.Panel(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (a *App) apiInvitations(c *fiber.Ctx) error {
	list, err := a.panels.Invitations(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

type declineRequest struct {
	Reason string `json:"reason" form:"reason" validate:"required,max=2000"`
}

func (a *App) apiAcceptInvitation(c *fiber.Ctx) error {
	id, err := paramID(c, "member")
	if err != nil {
		return err
	}
	ans, err := a.panels.RespondToInvitation(c.UserContext(), actor(c), id, true, "")
	if err != nil {
		return err
	}
	return c.JSON(ans)
}

func (a *App) apiDeclineInvitation(c *fiber.Ctx) error {
	id, err := paramID(c, "member")
	if err != nil {
		return err
	}
	var req declineRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	ans, err := a.panels.RespondToInvitation(c.UserContext(), actor(c), id, false, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(ans)
}

func panelURL(id int64) string { return fmt.Sprintf("/panels/%d", id) }
