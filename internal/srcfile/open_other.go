//go:build !unix

package srcfile

import "os"

// open opens p for reading; named pipes and devices are unix matters.
func open(p string) (*os.File, error) { return os.Open(p) }
