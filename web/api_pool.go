package web

import (
	"net/url"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
)

func (a *App) apiExperts(c *fiber.Ctx) error {
	f, err := poolFilter(c)
	if err != nil {
		return err
	}
	list, total, err := a.pool.Experts(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(newList(list, total, f.Page))
}

// expertRequest is the body that creates an expert. The can-be-drawn flag
// is on unless set to false, which needs no_draw_reason.
type expertRequest struct {
	Name         string   `json:"name" validate:"required,max=64"`
	Type         string   `json:"type" validate:"required,expert_type"`
	Institution  string   `json:"institution" validate:"required,max=128"`
	Title        string   `json:"title" validate:"max=64"`
	TitleLevel   string   `json:"title_level" validate:"required,title_level"`
	SubjectCodes []string `json:"subject_codes" validate:"max=10,dive,max=16"`
	Keywords     []string `json:"keywords" validate:"max=20,dive,max=32"`
	Region       string   `json:"region" validate:"required,region"`
	Languages    []string `json:"languages" validate:"max=10,dive,max=16"`
	Email        string   `json:"email" validate:"omitempty,email,max=254"`
	CanBeDrawn   *bool    `json:"can_be_drawn"`
	NoDrawReason string   `json:"no_draw_reason" validate:"max=500"`
}

func (a *App) apiCreateExpert(c *fiber.Ctx) error {
	var req expertRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	e := &evaluation.Expert{Name: req.Name, Type: evaluation.ExpertType(req.Type), Institution: req.Institution, Title: req.Title,
		TitleLevel: evaluation.TitleLevel(req.TitleLevel), SubjectCodes: req.SubjectCodes, Keywords: req.Keywords,
		Region: evaluation.Region(req.Region), Languages: req.Languages, Email: req.Email,
		CanBeDrawn: req.CanBeDrawn == nil || *req.CanBeDrawn, NoDrawReason: req.NoDrawReason}
	if err := a.pool.CreateExpert(c.UserContext(), actor(c), e); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

// expertDetail is an expert's profile with their load this year and last.
type expertDetail struct {
	evaluation.Expert
	Loads []evaluation.YearLoad `json:"loads"`
}

func (a *App) apiExpert(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.sendExpert(c, id, fiber.StatusOK)
}

func (a *App) sendExpert(c *fiber.Ctx, id int64, status int) error {
	ctx, act := c.UserContext(), actor(c)
	e, err := a.pool.Expert(ctx, act, id)
	if err != nil {
		return err
	}
	loads, err := a.pool.ExpertLoad(ctx, act, id)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(expertDetail{Expert: *e, Loads: loads})
}

// expertPatch changes some attributes of a profile; the flag has its own
// endpoint.
type expertPatch struct {
	Name         *string   `json:"name" validate:"omitnil,min=1,max=64"`
	Type         *string   `json:"type" validate:"omitnil,expert_type"`
	Institution  *string   `json:"institution" validate:"omitnil,min=1,max=128"`
	Title        *string   `json:"title" validate:"omitnil,max=64"`
	TitleLevel   *string   `json:"title_level" validate:"omitnil,title_level"`
	SubjectCodes *[]string `json:"subject_codes" validate:"omitnil,max=10,dive,max=16"`
	Keywords     *[]string `json:"keywords" validate:"omitnil,max=20,dive,max=32"`
	Region       *string   `json:"region" validate:"omitnil,region"`
	Languages    *[]string `json:"languages" validate:"omitnil,max=10,dive,max=16"`
	// Email may be set to "" to clear it, so its format is left to the
	// domain's rule (the validator cannot skip an empty pointed-to value).
	Email *string `json:"email" validate:"omitnil,max=254"`
}

func (p *expertPatch) update() evaluation.ExpertUpdate {
	up := evaluation.ExpertUpdate{Name: p.Name, Institution: p.Institution, Title: p.Title, SubjectCodes: p.SubjectCodes,
		Keywords: p.Keywords, Languages: p.Languages, Email: p.Email}
	if p.Type != nil {
		up.Type = ptrTo(evaluation.ExpertType(*p.Type))
	}
	if p.TitleLevel != nil {
		up.TitleLevel = ptrTo(evaluation.TitleLevel(*p.TitleLevel))
	}
	if p.Region != nil {
		up.Region = ptrTo(evaluation.Region(*p.Region))
	}
	return up
}

func ptrTo[T any](v T) *T { return &v }

func (a *App) apiUpdateExpert(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req expertPatch
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	if _, err := a.pool.UpdateExpert(c.UserContext(), actor(c), id, req.update()); err != nil {
		return err
	}
	return a.sendExpert(c, id, fiber.StatusOK)
}

// flagRequest turns the can-be-drawn flag on or off.
type flagRequest struct {
	CanBeDrawn   *bool  `json:"can_be_drawn" validate:"required"`
	NoDrawReason string `json:"no_draw_reason" validate:"max=500"`
}

func (a *App) apiFlagExpert(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req flagRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	if _, err := a.pool.SetExpertDrawable(c.UserContext(), actor(c), id, *req.CanBeDrawn, req.NoDrawReason); err != nil {
		return err
	}
	return a.sendExpert(c, id, fiber.StatusOK)
}

func (a *App) apiExpertConflicts(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.pool.ExpertConflicts(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

func (a *App) apiAddExpertConflict(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req conflictForm
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	rec := req.record()
	if err := a.pool.AddExpertConflict(c.UserContext(), actor(c), id, rec); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(rec)
}

func (a *App) apiDeleteExpertConflict(c *fiber.Ctx) error {
	id, cid, err := paramIDs(c, "id", "cid")
	if err != nil {
		return err
	}
	if err := a.pool.RemoveExpertConflict(c.UserContext(), actor(c), id, cid); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) apiExpertCollaborations(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.pool.ExpertCollaborations(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

func (a *App) apiAddCollaboration(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req collaborationForm
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	rec := req.record()
	if err := a.pool.AddCollaboration(c.UserContext(), actor(c), id, rec); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(rec)
}

func (a *App) apiDeleteCollaboration(c *fiber.Ctx) error {
	id, cid, err := paramIDs(c, "id", "cid")
	if err != nil {
		return err
	}
	if err := a.pool.RemoveCollaboration(c.UserContext(), actor(c), id, cid); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) apiAliases(c *fiber.Ctx) error {
	list, err := a.pool.InstitutionAliases(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

func (a *App) apiAddAlias(c *fiber.Ctx) error {
	var req aliasForm
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	al, err := a.pool.AddInstitutionAlias(c.UserContext(), actor(c), req.Alias, req.Canonical)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(al)
}

// apiDeleteAlias removes an alias named in the path, percent-encoded as
// needed ("/api/v1/institution-aliases/%E4%B8%8A%E6%B5%B7%E4%BA%A4%E5%A4%A7").
func (a *App) apiDeleteAlias(c *fiber.Ctx) error {
	alias, err := url.PathUnescape(c.Params("alias"))
	if err != nil {
		return evaluation.ErrNotFound
	}
	if err := a.pool.RemoveInstitutionAlias(c.UserContext(), actor(c), alias); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
