package jsonata

import "github.com/stepctl/stepctl/asl/jsonv"

// definePictureFunctions wires the picture-string formatters (implemented
// in picture_*.go) into the function library.
func definePictureFunctions() {
	define(library, "formatNumber", "<n-so?:s>", func(c *call, args []any) (any, error) {
		f, ok := toNumber(args[0])
		if !ok {
			return undefined, nil
		}
		picture, _ := args[1].(string)
		opts, _ := arg(args, 2).(*jsonv.Object)
		s, err := formatNumber(f, picture, opts)
		if err != nil {
			return nil, positioned(err, c)
		}
		return s, nil
	})
	define(library, "formatInteger", "<n-s:s>", func(c *call, args []any) (any, error) {
		f, ok := toNumber(args[0])
		if !ok {
			return undefined, nil
		}
		picture, _ := args[1].(string)
		s, err := formatInteger(f, picture)
		if err != nil {
			return nil, positioned(err, c)
		}
		return s, nil
	})
	define(library, "parseInteger", "<s-s:n>", func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		picture, _ := args[1].(string)
		v, defined, err := parseInteger(s, picture)
		if err != nil {
			return nil, positioned(err, c)
		}
		if !defined {
			return undefined, nil
		}
		return v, nil
	})
	defineDateTimeFunctions()
}

// positioned fills in the call position of an error raised by a helper.
func positioned(err error, c *call) error {
	if e, ok := err.(*Error); ok && e.Position == 0 {
		e.Position = c.pos
	}
	return err
}
