using Atlas.Functions.Functions;
using Atlas.Functions.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddAtlas();
var app = builder.Build();

// `dotnet publish` runs the app this way to write the Functions host's function.json files.
if (args is ["--write-function-metadata", var directory])
{
    var catalog = app.Services.GetRequiredService<FunctionCatalog>();
    foreach (var file in FunctionMetadata.WriteAll(catalog, directory, app.Configuration[AtlasServices.NamePrefixSetting] ?? ""))
    {
        Console.WriteLine($"wrote {file}");
    }

    return;
}

app.UseAtlas();
app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
