function Test-EncryptionPolicy {
    <#
    .SYNOPSIS
        Validates a policy file with the agent's own .NET Framework 4.8 assembly, exactly as the agent will load it.
    .DESCRIPTION
        Loads ExchangeEncryptionAgent.dll (from the release package by default) and calls
        [ExchangeEncryptionAgent.Activation.PolicyInventory]::Read(path), which also opens every certificate, key,
        CRL and folder the policy names, relative to the policy file. Needs no .NET 10 runtime: this is what
        Exchange servers have. Returns an object with IsValid and Errors ("file:line:col: rule 'name': message").
    .PARAMETER Path
        The policy file to validate.
    .PARAMETER AgentAssemblyPath
        The ExchangeEncryptionAgent.dll whose validator to use. Use the version you are about to install.
    .EXAMPLE
        Test-EncryptionPolicy -Path .\Policies\default.xml -AgentAssemblyPath .\agent\ExchangeEncryptionAgent.dll
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [string] $Path,
        [Parameter(Mandatory)]
        [string] $AgentAssemblyPath
    )

    $fullPath = Resolve-FullPath -Path $Path
    if (-not (Test-Path -LiteralPath $fullPath -PathType Leaf)) {
        return New-PolicyTestResult -Path $fullPath -Errors @("${fullPath}: the policy file does not exist.")
    }
    $inventory = Get-PolicyInventory -Path $fullPath -AgentAssemblyPath $AgentAssemblyPath
    New-PolicyTestResult -Path $fullPath -Errors @($inventory.Errors)
}
