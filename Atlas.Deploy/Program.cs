using Atlas.Deploy;

// azure.yaml's predeploy hook: refuses the release while the deployment still runs a flow it no longer has.
//   dotnet run --project Atlas.Deploy -- retired-flows --storage ACCOUNT-OR-CONNECTION-STRING [--task-hub atlas] [--name-prefix ""]
return await RetiredFlowsCommand.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
