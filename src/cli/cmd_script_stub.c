int cmd_script(int argc, char **argv); int cmd_script(int argc, char **argv) { (void)argc; (void)argv; return 2; }
