package main

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
)

// chartPage is a page of the demo's concluding campaign and the charts it
// draws.
type chartPage struct {
	name, path string
	charts     []string
}

// chartBox is what the browser reports of a drawn chart.
type chartBox struct {
	Found         bool
	Width, Height float64
	Marks         int
}

// TestBrowserChartsRender: every chart of the results renders in both
// languages in Chromium. The agency's staff of the demo's concluding
// campaign (SSTPC 2025, second batch) open its results (the bands, the
// scores' histogram, the progress over time), the advisory tab (the
// experts' leniency), a project's result (its radar) and the printable
// report (the three charts of the results again). Each chart's svg is laid
// out with a size and holds its data marks, and its screenshot is an
// image with more than a background in it.
func TestBrowserChartsRender(t *testing.T) {
	chromium := chromiumPath(t)
	srv := startBrowserServer(t)
	browser := startBrowser(t, chromium)
	dir := os.Getenv("EVALPANEL_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) {
			p := openTab(t, browser, srv)
			p.signInAs("sstpc-zhou", lang)
			p.visit("/campaigns")
			campaign := step(p, "find the concluding campaign", chromedp.Evaluate[string](
				`([...document.querySelectorAll('a[href^="/campaigns/"]')].find(a => a.textContent.includes('第二批')) || {}).pathname || ""`))
			if !regexp.MustCompile(`^/campaigns/\d+$`).MatchString(campaign) {
				p.fatalf("no link to the second batch on /campaigns (found %q)", campaign)
			}
			results := campaign + "/results"
			p.visit(results)
			project := step(p, "find a project's result", chromedp.Evaluate[string](
				`(document.querySelector('#results-table a[href$="/result"]') || {}).pathname || ""`))
			if project == "" {
				p.fatalf("the results list no project")
			}
			for _, pg := range []chartPage{
				{"results", results, []string{"chart-bands", "chart-scores", "chart-progress"}},
				{"advisory", results + "?tab=advisory", []string{"chart-leniency"}},
				{"project", project, []string{"chart-radar"}},
				{"report", campaign + "/report", []string{"chart-bands", "chart-scores", "chart-progress"}},
			} {
				p.visit(pg.path)
				full := step(p, "screenshot "+pg.path, chromedp.FullScreenshot(100))
				if _, err := png.Decode(bytes.NewReader(full)); err != nil {
					p.fatalf("the screenshot of %s does not decode: %v", pg.path, err)
				}
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("charts-%s-%s.png", pg.name, lang)), full, 0o640); err != nil {
					t.Fatal(err)
				}
				for _, id := range pg.charts {
					box := step(p, "measure #"+id, chromedp.Evaluate[chartBox](fmt.Sprintf(`(() => {
						const svg = document.getElementById(%q);
						if (!svg || svg.tagName.toLowerCase() !== 'svg') return {Found: false};
						svg.scrollIntoView({block: 'center'});
						const r = svg.getBoundingClientRect();
						return {Found: true, Width: r.width, Height: r.height, Marks: svg.querySelectorAll('.mark').length};
					})()`, id)))
					switch {
					case !box.Found:
						p.fatalf("%s %s: no svg #%s", lang, pg.name, id)
					case box.Width < 200 || box.Height < 80:
						p.fatalf("%s %s: #%s is %.0f×%.0f, want it laid out at a readable size", lang, pg.name, id, box.Width, box.Height)
					case box.Marks == 0:
						p.fatalf("%s %s: #%s draws no data marks", lang, pg.name, id)
					}
					shot := step(p, "screenshot #"+id, chromedp.Screenshot(byID(id)))
					img, err := png.Decode(bytes.NewReader(shot))
					if err != nil {
						p.fatalf("%s %s: the screenshot of #%s does not decode: %v", lang, pg.name, id, err)
					}
					if colours, inked := inkOf(img); colours < 4 || inked < 0.01 {
						p.fatalf("%s %s: #%s shows %d colours, %.2f%% of it inked: blank", lang, pg.name, id, colours, 100*inked)
					}
					if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("chart-%s-%s-%s.png", pg.name, id, lang)), shot, 0o640); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}

// inkOf counts the distinct colours of an image and the share of its
// pixels that are not near white.
func inkOf(img image.Image) (colours int, inked float64) {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	n, dark := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			n++
			if r>>8 < 235 || g>>8 < 235 || bl>>8 < 235 {
				dark++
			}
		}
	}
	if n == 0 {
		return 0, 0
	}
	return len(seen), float64(dark) / float64(n)
}
