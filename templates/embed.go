// Package templates holds the built-in reply templates, embedded into the binary.
//
// Layout (paths inside FS):
//
//	<lang>/<action>.tmpl                 the generic reply body for one action
//	<lang>/_<name>.tmpl                  shared {{define}} blocks of that language
//	                                     (greeting, signoff, shipping, ...)
//	stores/<store>/<lang>/<action>.tmpl  a store's own wording where the generic
//	                                     template cannot say it from the data
//
// lang is one of en, de, nl, fr, es, it, pt (and zh for alinora); action is a decision
// action (authorize_return, reject, ...) or a scheduled mail (reminder,
// staff_escalation). Every template renders the plain-text body only, from
// responder.Data, and branches on .Code. Parsing, the function map (date, join, lines,
// numbered, indent, ...) and the lookup order live in package responder.
package templates

import "embed"

// FS is the embedded template tree described in the package comment. The patterns
// name files rather than directories so that the "_" partials are included.
//
//go:embed */*.tmpl stores/*/*/*.tmpl
var FS embed.FS
