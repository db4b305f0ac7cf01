/** Provider extension / client identity → Kommo user (the "assign extensions to managers" table). */
export interface ExtensionDirectory {
  findUserId(accountId: number, extension: string): Promise<number | null>;
}
