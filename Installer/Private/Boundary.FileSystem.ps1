# Boundary (the tests replace these): copying, deleting and unblocking files.

function Copy-AgentFile {
    param(
        [Parameter(Mandatory)][string] $Source,
        [Parameter(Mandatory)][string] $Destination
    )

    $folder = Split-Path -Parent $Destination
    if (-not (Test-Path -LiteralPath $folder -PathType Container)) {
        $null = New-Item -ItemType Directory -Path $folder -Force
    }
    Copy-Item -LiteralPath $Source -Destination $Destination -Force
}

function Remove-AgentItem {
    param([Parameter(Mandatory)][string] $Path)

    try {
        Remove-Item -LiteralPath $Path -Recurse -Force
    }
    catch {
        throw "Could not delete '$Path' ($($_.Exception.Message)). If it is the agent DLL, a PowerShell window that ran Install-TransportAgent or Test-EncryptionPolicy still holds it open: close it and run install.ps1 again."
    }
}

function Test-FileBlocked {
    param([Parameter(Mandatory)][string] $Path)

    [bool](Get-Item -LiteralPath $Path -Stream 'Zone.Identifier' -ErrorAction SilentlyContinue)
}

function Unblock-AgentFile {
    param([Parameter(Mandatory)][string] $Path)

    Unblock-File -LiteralPath $Path
}
