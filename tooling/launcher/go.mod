module ocm-plugin-kit/launcher

go 1.22
