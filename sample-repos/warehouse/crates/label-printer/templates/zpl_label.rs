// Template of the label modules that `cargo xtask labels` renders, one per carrier.
// Rendered files go to src/labels/; this file is not part of the build.

pub const {{ carrier | upper }}_LABEL: &str = r#"
^XA
^FO50,50^A0N,40,40^FD{{ carrier_name }}^FS
^FO50,110^BCN,120,Y,N,N^FD{{ '{{' }}tracking{{ '}}' }}^FS
^XZ
"#;
