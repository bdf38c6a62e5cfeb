package demo

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
)

// materials uploads generated reports for the first projects of each
// campaign, as the agency would receive them from the applicants: a
// self-evaluation report and a final-accounts report per project, and a
// test report for projects with on-site testing.
func (s *seeder) materials(staff evaluation.Actor, c *evaluation.Campaign, n int) error {
	projects, _, err := s.svc.Campaigns.Projects(s.ctx, staff, evaluation.ProjectFilter{CampaignID: c.ID, Page: evaluation.Page{Size: n}})
	if err != nil {
		return err
	}
	for _, p := range projects {
		kinds := []evaluation.MaterialKind{evaluation.MaterialSelfEvaluation, evaluation.MaterialFinalAccounts}
		for _, m := range p.Methods {
			if m == evaluation.Testing {
				kinds = append(kinds, evaluation.MaterialTestReport)
			}
		}
		for _, kind := range kinds {
			name := fmt.Sprintf("%s-%s.pdf", p.Code, kind)
			doc := pdfDocument(fmt.Sprintf("evalpanel demo - %s", kind), []string{
				"Project " + p.Code, fmt.Sprintf("Campaign %d, %d", c.ID, c.Year),
				"This document was generated for the demonstration.", "It stands for the report the applicant submits."})
			if _, err := s.svc.Materials.UploadMaterial(s.ctx, staff, p.ID, evaluation.NewMaterial{Kind: kind, Filename: name,
				Content: bytes.NewReader(doc)}); err != nil {
				return fmt.Errorf("upload %s: %w", name, err)
			}
		}
	}
	return nil
}

// pdfDocument returns a one-page PDF showing a title and lines of ASCII
// text in Helvetica: small, valid, and readable in any viewer.
func pdfDocument(title string, lines []string) []byte {
	esc := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`)
	var content strings.Builder
	fmt.Fprintf(&content, "BT /F1 18 Tf 56 760 Td (%s) Tj ET\n", esc.Replace(title))
	for i, l := range lines {
		fmt.Fprintf(&content, "BT /F1 11 Tf 56 %d Td (%s) Tj ET\n", 720-18*i, esc.Replace(l))
	}
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}
