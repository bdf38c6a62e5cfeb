package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"strconv"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/unicode/norm"
)

// materialServices are the calls behind a project's materials and method
// records, in the UI and the API.
type materialServices interface {
	MaterialsProject(ctx context.Context, actor evaluation.Actor, projectID int64) (*evaluation.Project, error)
	Materials(ctx context.Context, actor evaluation.Actor, projectID int64) ([]*evaluation.Material, error)
	Material(ctx context.Context, actor evaluation.Actor, id int64) (*evaluation.Material, error)
	OpenMaterial(ctx context.Context, actor evaluation.Actor, id int64) (*evaluation.Material, io.ReadSeekCloser, error)
	UploadMaterial(ctx context.Context, actor evaluation.Actor, projectID int64, in evaluation.NewMaterial) (*evaluation.Material, error)
	DeleteMaterial(ctx context.Context, actor evaluation.Actor, id int64) error
	UploadLimit() int64

	MethodRecords(ctx context.Context, actor evaluation.Actor, projectID int64) ([]*evaluation.MethodRecord, error)
	RecordInspection(ctx context.Context, actor evaluation.Actor, projectID int64, in evaluation.InspectionRecord) (*evaluation.MethodRecord, error)
	RecordTest(ctx context.Context, actor evaluation.Actor, projectID int64, in evaluation.TestRecord) (*evaluation.MethodRecord, error)
	RecordDemonstration(ctx context.Context, actor evaluation.Actor, projectID int64, in evaluation.DemonstrationRecord) (*evaluation.MethodRecord, error)
	DeleteMethodRecord(ctx context.Context, actor evaluation.Actor, projectID, recordID int64) error
}

// materialRoutes: a project's materials (upload, list, download, delete)
// and method records. Upload routes are also listed in uploadRoutes, for
// their body limit.
func (a *App) materialRoutes() {
	read, write := rbac.Read("material"), rbac.Write("material")
	mread, mwrite := rbac.Read("method_record"), rbac.Write("method_record")

	a.route(get, "/projects/:id/materials", read, a.materialsPage)
	a.route(post, "/projects/:id/materials", write, a.materialUpload)
	a.route(get, "/materials/:id", read, a.materialContent)
	a.route(post, "/materials/:id/delete", write, a.materialDeleteForm)
	a.route(post, "/projects/:id/methods/inspections", mwrite, a.inspectionCreate)
	a.route(post, "/projects/:id/methods/tests", mwrite, a.testCreate)
	a.route(post, "/projects/:id/methods/demonstrations", mwrite, a.demonstrationCreate)
	a.route(post, "/projects/:id/methods/:record/delete", mwrite, a.methodRecordDeleteForm)

	a.route(get, "/api/v1/projects/:id/materials", read, a.apiMaterials)
	a.route(post, "/api/v1/projects/:id/materials", write, a.apiUploadMaterial)
	a.route(get, "/api/v1/materials/:id", read, a.apiMaterial)
	a.route(get, "/api/v1/materials/:id/content", read, a.materialContent)
	a.route(del, "/api/v1/materials/:id", write, a.apiDeleteMaterial)
	a.route(get, "/api/v1/projects/:id/methods", mread, a.apiMethodRecords)
	a.route(post, "/api/v1/projects/:id/methods/inspections", mwrite, a.apiRecordInspection)
	a.route(post, "/api/v1/projects/:id/methods/tests", mwrite, a.apiRecordTest)
	a.route(post, "/api/v1/projects/:id/methods/demonstrations", mwrite, a.apiRecordDemonstration)
	a.route(del, "/api/v1/projects/:id/methods/:record", mwrite, a.apiDeleteMethodRecord)
}

// readMaterialUpload reads the kind and the file of a multipart upload. What is
// missing stays empty, and a body that is no readable multipart form is
// marked incomplete, for the service to refuse after its access checks
// (so that another agency's project answers not found, whatever was
// sent). The caller closes the file.
func readMaterialUpload(c *fiber.Ctx) (evaluation.NewMaterial, io.Closer) {
	var in evaluation.NewMaterial
	if uploadIncomplete(c) {
		in.Incomplete = true
		return in, nil
	}
	form, err := c.MultipartForm()
	if err != nil {
		return in, nil
	}
	if v := form.Value["kind"]; len(v) > 0 {
		in.Kind = evaluation.MaterialKind(strings.TrimSpace(v[0]))
	}
	files := form.File["file"]
	if len(files) == 0 {
		return in, nil
	}
	fh := files[0]
	in.Filename = norm.NFC.String(sentFilename(fh))
	f, err := fh.Open()
	if err != nil {
		return in, nil
	}
	in.Content = f
	return in, f
}

// uploadIncomplete reports whether the body is declared a multipart form
// but cannot be read as one: cut short, without its boundary, or with
// parts that do not use the boundary its header names. A body of another
// type is no upload at all (the file is missing), not an incomplete one.
//
// A body cut short is known by its missing close delimiter ("--" boundary
// "--", RFC 2046 §5.1.1): mime/multipart reads a body cut inside a part's
// headers as a whole form that simply lacks that part, which would turn
// a broken upload of a file into "no file chosen".
func uploadIncomplete(c *fiber.Ctx) bool {
	ct := strings.ToLower(strings.TrimSpace(c.Get(fiber.HeaderContentType)))
	if !strings.HasPrefix(ct, fiber.MIMEMultipartForm) {
		return false
	}
	boundary := c.Request().Header.MultipartFormBoundary()
	if len(boundary) == 0 || !bytes.Contains(c.Body(), []byte("--"+string(boundary)+"--")) {
		return true
	}
	_, err := c.MultipartForm()
	return err != nil
}

// sentFilename is the file name exactly as the client sent it. The
// multipart reader keeps only the last path element, which would hide a
// path-traversal attempt that the service should refuse by name.
func sentFilename(fh *multipart.FileHeader) string {
	if _, params, err := mime.ParseMediaType(fh.Header.Get(fiber.HeaderContentDisposition)); err == nil {
		if name, ok := params["filename"]; ok {
			return name
		}
	}
	return fh.Filename
}

// uploadMaterial runs an upload for the API and the UI.
func (a *App) uploadMaterial(c *fiber.Ctx, projectID int64) (*evaluation.Material, error) {
	in, f := readMaterialUpload(c)
	if f != nil {
		defer f.Close()
	}
	return a.materials.UploadMaterial(c.UserContext(), actor(c), projectID, in)
}

func (a *App) apiMaterials(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.materials.Materials(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

func (a *App) apiUploadMaterial(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := a.uploadMaterial(c, id)
	if errors.Is(err, evaluation.ErrBlobTooLarge) {
		return a.uploadTooLarge(c, err)
	}
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(m)
}

func (a *App) apiMaterial(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := a.materials.Material(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

func (a *App) apiDeleteMaterial(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.materials.DeleteMaterial(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// materialContent sends a material's file, for the UI and the API. It is
// always a download (Content-Disposition: attachment) with the type found
// in the content and nosniff, under a sandboxing CSP, so that no upload is
// ever run as a page of this site; a PDF may open in the browser's viewer
// with ?inline=1, still sandboxed.
func (a *App) materialContent(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, f, err := a.materials.OpenMaterial(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	inline := c.Query("inline") == "1" && m.ContentType == evaluation.TypePDF
	disposition, csp := "attachment", "sandbox; default-src 'none'; frame-ancestors 'none'"
	if inline {
		disposition, csp = "inline", "sandbox; default-src 'none'; object-src 'self'; frame-ancestors 'self'"
		c.Set(fiber.HeaderXFrameOptions, "SAMEORIGIN")
	}
	c.Set(fiber.HeaderContentType, m.ContentType)
	c.Set(fiber.HeaderContentDisposition, contentDisposition(disposition, m.Filename))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, csp)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.SendStream(f, int(m.Size))
}

// contentDisposition builds the header of RFC 6266: an ASCII filename for
// old clients and the exact UTF-8 name in filename* (RFC 8187).
func contentDisposition(disposition, name string) string {
	var ascii, enc strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' || r == ';' {
			ascii.WriteByte('_')
		} else {
			ascii.WriteRune(r)
		}
	}
	for _, b := range []byte(name) {
		if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0 {
			enc.WriteByte(b)
		} else {
			enc.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(b)|0x100, 16)[1:]))
		}
	}
	return disposition + `; filename="` + ascii.String() + `"; filename*=UTF-8''` + enc.String()
}

func (a *App) apiMethodRecords(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.materials.MethodRecords(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

// inspectionRequest is the JSON of an on-site inspection record.
type inspectionRequest struct {
	Date         string   `json:"date" validate:"required,max=10"`
	Place        string   `json:"place" validate:"required,max=200"`
	Participants []string `json:"participants" validate:"required,max=50,dive,max=64"`
	Findings     string   `json:"findings" validate:"required,max=10000"`
}

// testRequest is the JSON of an on-site test result.
type testRequest struct {
	IndicatorID int64             `json:"indicator_id" validate:"required,gt=0"`
	Measured    evaluation.Actual `json:"measured"`
	Passed      *bool             `json:"passed" validate:"required"`
	Tester      string            `json:"tester" validate:"required,max=64"`
	Date        string            `json:"date" validate:"required,max=10"`
	Note        string            `json:"note" validate:"max=2000"`
}

// demonstrationRequest is the JSON of a functional demonstration checklist.
type demonstrationRequest struct {
	Date  string                `json:"date" validate:"required,max=10"`
	Items []evaluation.DemoItem `json:"items" validate:"required,min=1,max=50"`
	Note  string                `json:"note" validate:"max=2000"`
}

func (a *App) apiRecordInspection(c *fiber.Ctx) error {
	return a.apiRecord(c, func(ctx context.Context, act evaluation.Actor, id int64) (*evaluation.MethodRecord, error) {
		var req inspectionRequest
		if err := a.decodeJSON(c, &req); err != nil {
			return nil, err
		}
		return a.materials.RecordInspection(ctx, act, id, evaluation.InspectionRecord{Date: req.Date, Place: req.Place,
			Participants: req.Participants, Findings: req.Findings})
	})
}

func (a *App) apiRecordTest(c *fiber.Ctx) error {
	return a.apiRecord(c, func(ctx context.Context, act evaluation.Actor, id int64) (*evaluation.MethodRecord, error) {
		var req testRequest
		if err := a.decodeJSON(c, &req); err != nil {
			return nil, err
		}
		return a.materials.RecordTest(ctx, act, id, evaluation.TestRecord{IndicatorID: req.IndicatorID, Measured: req.Measured,
			Passed: *req.Passed, Tester: req.Tester, Date: req.Date, Note: req.Note})
	})
}

func (a *App) apiRecordDemonstration(c *fiber.Ctx) error {
	return a.apiRecord(c, func(ctx context.Context, act evaluation.Actor, id int64) (*evaluation.MethodRecord, error) {
		var req demonstrationRequest
		if err := a.decodeJSON(c, &req); err != nil {
			return nil, err
		}
		return a.materials.RecordDemonstration(ctx, act, id, evaluation.DemonstrationRecord{Date: req.Date, Items: req.Items, Note: req.Note})
	})
}

// apiRecord answers a new method record with 201. The project is checked
// before the body: another agency's project is not found whatever was sent.
func (a *App) apiRecord(c *fiber.Ctx, add func(context.Context, evaluation.Actor, int64) (*evaluation.MethodRecord, error)) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := a.materials.MethodRecords(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	r, err := add(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

func (a *App) apiDeleteMethodRecord(c *fiber.Ctx) error {
	id, record, err := paramIDs(c, "id", "record")
	if err != nil {
		return err
	}
	if err := a.materials.DeleteMethodRecord(c.UserContext(), actor(c), id, record); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
