// The app runs in this process under the local Functions host, and a worker is process-wide (its environment, its web
// server's port): the tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
