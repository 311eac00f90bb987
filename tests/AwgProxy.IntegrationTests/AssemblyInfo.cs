// The tests start real server and client processes and move tens of MiB through them; run one at a
// time so that they do not compete for the machine's cores (and their time bounds stay meaningful).
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// Real processes, signals and network namespaces: the integration tests run on Linux (as CI does).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
