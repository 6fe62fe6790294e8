/**
 * Given names and surnames from several cultures, in their native (Latin-script) spelling with
 * diacritics — "Zoë", "Łukasz", "Søren", "José", "Ngọc" — so that display names exercise Unicode
 * while logins are derived from their ASCII folding. `weight` is the culture's share of people.
 */
export interface Culture {
  readonly name: string;
  readonly weight: number;
  readonly given: readonly string[];
  readonly surnames: readonly string[];
}

export const CULTURES: readonly Culture[] = [
  {
    name: 'english',
    weight: 24,
    given: ['James', 'John', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Thomas', 'Charles', 'Mary', 'Patricia',
      'Jennifer', 'Linda', 'Elizabeth', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Emily', 'Olivia', 'Zoë', 'Chloë', 'Liam',
      'Noah', 'Ethan', 'Grace', 'Hannah', 'Ada', 'Alan', 'Siobhán', 'Seán', 'Niamh', 'Aoife', 'Rhys', 'Siân'],
    surnames: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
      'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson',
      'Walker', 'Young', 'Allen', 'King', "O'Brien", "O'Connor", 'Lovelace', 'Turing', 'Hopper', 'MacDonald', 'Ó Súilleabháin'],
  },
  {
    name: 'german',
    weight: 8,
    given: ['Hans', 'Jürgen', 'Günter', 'Lukas', 'Maximilian', 'Felix', 'Jonas', 'Leon', 'Paul', 'Anna', 'Lena', 'Sophie',
      'Marie', 'Mia', 'Jörg', 'Käthe', 'Uwe', 'Katrin', 'Sabine', 'Björn', 'Heike', 'Dörte'],
    surnames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
      'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Krüger',
      'Hartmann', 'Lange', 'Weiß', 'Groß', 'Köhler', 'von Bülow'],
  },
  {
    name: 'polish',
    weight: 6,
    given: ['Łukasz', 'Piotr', 'Krzysztof', 'Andrzej', 'Tomasz', 'Paweł', 'Michał', 'Marcin', 'Jakub', 'Wojciech', 'Anna',
      'Małgorzata', 'Agnieszka', 'Katarzyna', 'Joanna', 'Magdalena', 'Zofia', 'Ewa', 'Bożena', 'Grażyna'],
    surnames: ['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamiński', 'Lewandowski', 'Zieliński',
      'Szymański', 'Woźniak', 'Dąbrowski', 'Kozłowski', 'Jankowski', 'Mazur', 'Kwiatkowski', 'Krawczyk', 'Piotrowski',
      'Grabowski', 'Pawłowski', 'Michalski', 'Król', 'Wieczorek', 'Jabłoński', 'Wróbel', 'Żółkiewski'],
  },
  {
    name: 'nordic',
    weight: 5,
    given: ['Søren', 'Mikkel', 'Rasmus', 'Lars', 'Anders', 'Bjørn', 'Jens', 'Henrik', 'Magnus', 'Erik', 'Ingrid', 'Astrid',
      'Sigrid', 'Freja', 'Maja', 'Åsa', 'Linnéa', 'Mette', 'Kirsten', 'Sofie', 'Ægir', 'Þórunn'],
    surnames: ['Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Rasmussen',
      'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Lindqvist', 'Åberg', 'Ødegaard', 'Bergström', 'Lindström',
      'Halvorsen', 'Dahl', 'Guðmundsdóttir'],
  },
  {
    name: 'iberian',
    weight: 9,
    given: ['José', 'María', 'Juan', 'Luis', 'Carlos', 'Javier', 'Miguel', 'Alejandro', 'Sofía', 'Lucía', 'Martina',
      'Valentina', 'Camila', 'Ana', 'João', 'Gonçalo', 'Inês', 'Conceição', 'Ángel', 'Iñaki', 'Begoña', 'José Luis'],
    surnames: ['García', 'Rodríguez', 'González', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín',
      'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero', 'Silva', 'Santos', 'Oliveira',
      'Souza', 'Pereira', 'Gonçalves', 'Araújo', 'de la Cruz', 'Ibáñez'],
  },
  {
    name: 'french',
    weight: 6,
    given: ['Jean', 'Pierre', 'Michel', 'François', 'Éric', 'Hélène', 'Chloé', 'Camille', 'Léa', 'Manon', 'Théo', 'Gaël',
      'Noémie', 'Céline', 'Jérôme', 'Loïc', 'Amélie', 'Benoît', 'Margaux', 'Clément', 'Jean-Luc', 'Anaïs'],
    surnames: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
      'Laurent', 'Lefèvre', 'Michel', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Lefebvre', 'Girard', 'Bonnet',
      'Dupont', 'Lambert', 'Château'],
  },
  {
    name: 'vietnamese',
    weight: 4,
    given: ['Ngọc', 'Minh', 'Anh', 'Hương', 'Linh', 'Trang', 'Thảo', 'Dũng', 'Hùng', 'Tuấn', 'Quang', 'Phương', 'Hà',
      'Thủy', 'Long', 'Nam', 'Việt', 'Hạnh', 'Đức', 'Khánh'],
    surnames: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô',
      'Dương', 'Lý'],
  },
  {
    name: 'chinese',
    weight: 7,
    given: ['Wei', 'Fang', 'Xiu Ying', 'Na', 'Min', 'Jing', 'Li', 'Qiang', 'Lei', 'Jun', 'Yang', 'Yong', 'Jie', 'Tao',
      'Ming', 'Chao', 'Xiaoming', 'Hui', 'Yan', 'Zhiwei'],
    surnames: ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu',
      'Guo', 'He', 'Lin', 'Lü', 'Gao'],
  },
  {
    name: 'indian',
    weight: 9,
    given: ['Aarav', 'Vivaan', 'Aditya', 'Arjun', 'Sai', 'Rohan', 'Priya', 'Ananya', 'Diya', 'Saanvi', 'Lakshmi', 'Rahul',
      'Vikram', 'Deepika', 'Sneha', 'Karthik', 'Anjali', 'Rajesh', 'Sunita', 'Nikhil'],
    surnames: ['Sharma', 'Patel', 'Singh', 'Kumar', 'Gupta', 'Reddy', 'Iyer', 'Nair', 'Rao', 'Mehta', 'Shah', 'Joshi', 'Das',
      'Chatterjee', 'Banerjee', 'Mukherjee', 'Pillai', 'Menon', 'Agarwal', 'Bhat'],
  },
  {
    name: 'japanese',
    weight: 4,
    given: ['Haruto', 'Yuto', 'Sota', 'Yui', 'Hina', 'Sakura', 'Hiroshi', 'Takeshi', 'Kenji', 'Yuki', 'Aiko', 'Naoko', 'Ren',
      'Daiki', 'Kaito', 'Shōta', 'Yūko', 'Ryō', 'Emi', 'Mei'],
    surnames: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato',
      'Yoshida', 'Yamada', 'Sasaki', 'Yamaguchi', 'Matsumoto', 'Inoue', 'Kimura', 'Hayashi', 'Saitō', 'Ōta'],
  },
  {
    name: 'arabic',
    weight: 5,
    given: ['Mohammed', 'Ahmed', 'Ali', 'Omar', 'Youssef', 'Hassan', 'Khalid', 'Fatima', 'Aisha', 'Mariam', 'Layla', 'Nour',
      'Zainab', 'Hana', 'Yasmin', 'Karim', 'Tariq', 'Rania', 'Samir', 'Amira'],
    surnames: ['Al-Sayed', 'Haddad', 'Khalil', 'Mansour', 'Nasser', 'Saleh', 'Hamdan', 'Aziz', 'Farouk', 'El-Amin',
      'Ibrahim', 'Abdullah', 'Qureshi', 'Rahman', 'Hussein', 'Darwish', 'Suleiman', 'Zaki', 'Karam'],
  },
  {
    name: 'west-african',
    weight: 4,
    given: ['Chinedu', 'Oluwaseun', 'Adebayo', 'Ngozi', 'Chiamaka', 'Emeka', 'Folake', 'Tunde', 'Yetunde', 'Ifeoma',
      'Kwame', 'Ama', 'Kofi', 'Abena', 'Babajide', 'Chidi', 'Nneka', 'Obinna', 'Temitope', 'Adaeze'],
    surnames: ['Okafor', 'Adeyemi', 'Okonkwo', 'Balogun', 'Eze', 'Nwosu', 'Ogunleye', 'Mensah', 'Owusu', 'Boateng',
      'Adeleke', 'Chukwu', 'Obi', 'Afolabi', 'Danjuma', 'Asante', 'Ibekwe', 'Nnamdi', 'Bello'],
  },
  {
    name: 'turkish',
    weight: 4,
    given: ['Mehmet', 'Mustafa', 'Ahmet', 'Emre', 'Burak', 'Çağrı', 'Ayşe', 'Fatma', 'Zeynep', 'Elif', 'Gülşen', 'Özlem',
      'İbrahim', 'Şule', 'Hüseyin', 'Deniz', 'Can', 'Ece', 'Selin', 'Oğuz'],
    surnames: ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Yıldırım', 'Öztürk', 'Aydın', 'Özdemir', 'Arslan',
      'Doğan', 'Kılıç', 'Aslan', 'Çetin', 'Kara', 'Koç', 'Kurt', 'Özkan', 'Şimşek'],
  },
  {
    name: 'italian',
    weight: 5,
    given: ['Giuseppe', 'Giovanni', 'Antonio', 'Mario', 'Luca', 'Marco', 'Francesca', 'Giulia', 'Chiara', 'Sara',
      'Niccolò', 'Lorenzo', 'Alessandro', 'Matteo', 'Federica', 'Elena', 'Beatrice', 'Gianluca', 'Martina', 'Paolo'],
    surnames: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco',
      'Bruno', 'Gallo', 'Conti', 'De Luca', 'Mancini', 'Costa', 'Giordano', 'Rizzo', 'Lombardi', 'Moretti', "D'Angelo"],
  },
];
