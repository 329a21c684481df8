using Atlas.Demo;

// ./atlas demo [--api http://localhost:7071/api] [--admin-phone +447700900000] [--sessions FILE]
// --sessions: where the platform admin's session is kept between runs (./atlas demo keeps it in .azurite/); without
// it each run signs the admin in by a code, one of the 5 a phone may start an hour.
const string Usage = "usage: ./atlas demo [--api http://localhost:7071/api] [--admin-phone +447700900000] [--sessions FILE]";
if (args.Length % 2 != 0 || args.Where((arg, i) => i % 2 == 0 && arg is not ("--api" or "--admin-phone" or "--sessions")).Any())
{
    Console.Error.WriteLine(Usage);
    return 2;
}

// The last of an option given twice wins (./atlas demo puts its own --sessions first).
var options = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (var pair in args.Chunk(2))
{
    options[pair[0]] = pair[1];
}

var api = new Uri(options.GetValueOrDefault("--api", "http://localhost:7071/api").TrimEnd('/') + "/");
var adminPhone = options.GetValueOrDefault("--admin-phone", "+447700900000");
var sessions = options.TryGetValue("--sessions", out var file) ? new SessionFile(file) : null;
using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };

try
{
    var cast = await new Walkthrough(new AtlasApi(http), Console.Out, adminPhone, TimeProvider.System, sessions).RunAsync();
    cast.Print(Console.Out);
    return 0;
}
catch (HttpRequestException e)
{
    Console.Error.WriteLine($"atlas demo: nothing answers at {api} ({e.Message}). Start Atlas first: ./atlas run");
    return 1;
}
catch (DemoFailure e)
{
    Console.Error.WriteLine($"atlas demo: {e.Message}");
    return 1;
}
