module github.com/stepctl/stepctl

go 1.26
