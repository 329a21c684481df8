using Atlas.Functions;
using Microsoft.Azure.Functions.Worker.Builder;

// The isolated worker: Azure's Functions host (or Atlas.LocalHost) starts this and invokes its functions.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddAtlas();
builder.Build().Run();
