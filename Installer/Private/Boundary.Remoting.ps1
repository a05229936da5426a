# Boundary (the tests replace these): PowerShell remoting to other servers.

function New-InstallerSession {
    param(
        [Parameter(Mandatory)][string] $ComputerName,
        [pscredential] $Credential
    )

    $parameters = @{ ComputerName = $ComputerName }
    if ($Credential) {
        $parameters['Credential'] = $Credential
    }
    New-PSSession @parameters
}

function Remove-InstallerSession {
    param($Session)

    if ($null -ne $Session) {
        Remove-PSSession -Session $Session
    }
}

function Get-RemoteStagingPath {
    param(
        [Parameter(Mandatory)] $Session,
        [string] $Version
    )

    Invoke-Command -Session $Session -ScriptBlock {
        param($Name)
        Join-Path ([System.IO.Path]::GetTempPath()) $Name
    } -ArgumentList "ExchangeEncryptionAgent-$Version"
}

function Copy-PackageToSession {
    # What a server needs to run install.ps1 itself: the script, the module, the agent and the shipped policies.
    param(
        [Parameter(Mandatory)] $Session,
        [Parameter(Mandatory)][string] $PackageRoot,
        [Parameter(Mandatory)][string] $Destination
    )

    Invoke-Command -Session $Session -ScriptBlock {
        param($Path)
        if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path -Recurse -Force }
        $null = New-Item -ItemType Directory -Path $Path -Force
    } -ArgumentList $Destination
    foreach ($name in @('install.ps1', 'Installer', 'agent', $script:PolicyFolderName)) {
        Copy-Item -ToSession $Session -Path (Join-Path $PackageRoot $name) -Destination $Destination -Recurse -Force
    }
}

function Copy-PolicyToSession {
    # The policy and the files and folders it names relative to itself, in the same places: returns the remote
    # policy path.
    param(
        [Parameter(Mandatory)] $Session,
        [Parameter(Mandatory)][string] $PolicyPath,
        [string[]] $Reference = @(),
        [Parameter(Mandatory)][string] $Destination
    )

    $source = Resolve-FullPath -Path $PolicyPath
    $folder = Split-Path -Parent $source
    foreach ($item in @($source) + @($Reference | Where-Object { Test-Path -LiteralPath $_ })) {
        $relative = Get-RelativePolicyPath -Path $item -Folder $folder
        $target = "$Destination\$($relative -replace '/', '\')"
        Invoke-Command -Session $Session -ScriptBlock { param($Path) $null = New-Item -ItemType Directory -Path (Split-Path -Parent $Path) -Force } -ArgumentList $target
        Copy-Item -ToSession $Session -Path $item -Destination $target -Recurse -Force
    }
    "$Destination\$(Split-Path -Leaf $source)"
}

function Invoke-RemoteInstaller {
    param(
        [Parameter(Mandatory)] $Session,
        [Parameter(Mandatory)][string] $ScriptPath,
        [Parameter(Mandatory)][hashtable] $Parameters
    )

    Invoke-Command -Session $Session -ScriptBlock {
        param($Script, $Arguments)
        & $Script @Arguments
    } -ArgumentList $ScriptPath, $Parameters
}
