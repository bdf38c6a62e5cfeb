package web

import "github.com/evalpanel/evalpanel/evaluation"

// Services is what the web layer needs from the domain: one small interface
// per area of the product, each declared beside its handlers.
type Services interface {
	accountServices
	rubricServices
	campaignServices
	panelServices
	poolServices
	importServices
	materialServices
}

var _ Services = (*evaluation.Service)(nil)
