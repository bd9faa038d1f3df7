; Inno Setup 6 script: a per-user installer for Anonyscribe that needs no administrator rights.
;
;   pyinstaller --noconfirm --distpath dist --workpath build/pyinstaller packaging/anonyscribe.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\anonyscribe.iss
;
; (packaging/windows/build_windows.sh does both, with its own build environment.)
; Installs dist\Anonyscribe\ into %LOCALAPPDATA%\Programs\Anonyscribe, adds Start menu entries,
; and writes the uninstaller; nothing outside the user's profile is touched, so it works on a
; locked-down NHS or university laptop. Studies (the researcher's data) are never in the install
; folder and are never removed by the uninstaller.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Anonyscribe"
#define SourceDir "..\..\dist\Anonyscribe"

[Setup]
; A fixed AppId ties upgrades and the uninstaller to this app; never change it.
AppId={{6B7C2E0A-4E57-4C0E-9A51-3C1D5E0B7A11}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Anonyscribe
AppComments=Transcribes and anonymises research interviews on this computer; nothing is sent anywhere.
; Per-user: lowest privileges, so {autopf} is %LOCALAPPDATA%\Programs and no UAC prompt appears.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppName}.exe
UninstallDisplayName={#AppName} {#AppVersion}
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppName}.exe"
Name: "{autoprograms}\{#AppName} licences"; Filename: "{app}\_internal\resources\licences"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppName}.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppName}.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the app itself may leave in its own folder (Python caches); never user data.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
